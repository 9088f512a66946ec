//! User story 5: `103 Early Hints`. The page handler first tells the browser which assets to
//! preload (two `Link` headers), then answers with the page itself. `Hints` only sends bodiless
//! 1xx responses, and the handler's return value is the final response, so neither can be got
//! wrong.
//!
//! With RoadRunner v2025.1.15 the client also finds the hints' `Link` headers on the final
//! response, and the final status is always 200 (upstream issue roadrunner-server/roadrunner#2381).
//!
//! Run it with `cargo xtask demo early_hints`, then try `curl -i http://127.0.0.1:8080/`.

use http::{Request, Response, StatusCode, header};
use rr_http::{Body, Hints, HttpError};

const STYLE: &str = "body { font-family: sans-serif; color: #234; }\n";
const SCRIPT: &str = "document.querySelector('p').textContent += ' (script loaded)';\n";
const PAGE: &str = "<!doctype html>
<html>
<head><title>Early hints</title><link rel=\"stylesheet\" href=\"/style.css\"></head>
<body><h1>Hello RoadRunner!</h1><p>This page was hinted.</p><script src=\"/app.js\"></script></body>
</html>
";

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve_with_hints(handle)
}

fn handle(req: Request<Body>, hints: &mut Hints<'_>) -> Result<Response<Body>, HttpError> {
    match req.uri().path() {
        "/" => {
            // Sent at once, while the page below is still being "rendered".
            hints.early_hints([
                "</style.css>; rel=preload; as=style",
                "</app.js>; rel=preload; as=script",
            ])?;
            asset("text/html; charset=utf-8", PAGE)
        }
        "/style.css" => asset("text/css", STYLE),
        "/app.js" => asset("text/javascript", SCRIPT),
        path => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no route for {path}"),
        )),
    }
}

fn asset(content_type: &str, text: &'static str) -> Result<Response<Body>, HttpError> {
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(text))?)
}
