//! User story 3: keep the files uploaded through rr. rr writes each uploaded file to its temp
//! directory before the worker sees the request and deletes it after the response; this worker
//! moves every one into `UPLOAD_DIR` (default `<temp dir>/rr-uploads`) with `move_into`, which
//! reduces hostile client file names to a harmless one, never overwrites, and works across file
//! systems. It answers with what it saved, as JSON. `GET /` shows an HTML form to try it.
//!
//! Run it with `cargo xtask demo uploads`, then open http://127.0.0.1:8080/ or try
//! `curl -F 'doc=@Cargo.toml' -F 'more[]=@README.md' http://127.0.0.1:8080/`.

use std::path::{Path, PathBuf};

use http::{Method, Request, Response, StatusCode, header};
use rr_http::{Body, HttpError, RequestExt};
use serde_json::json;

const FORM: &str = "<!doctype html>
<html>
<head><title>Uploads</title></head>
<body>
<form method=\"post\" action=\"/\" enctype=\"multipart/form-data\">
  <p><input type=\"file\" name=\"files[]\" multiple></p>
  <p><input type=\"text\" name=\"note\" placeholder=\"a note\"> <button>Upload</button></p>
</form>
</body>
</html>
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::var_os("UPLOAD_DIR")
        .map_or_else(|| std::env::temp_dir().join("rr-uploads"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    // Absolute, so the paths in the answers mean something outside the worker, too.
    let dir = std::path::absolute(dir)?;
    rr_http::log!("uploads: saving uploaded files in {}", dir.display());
    rr_http::serve(|req: Request<Body>| route(&req, &dir))?;
    Ok(())
}

fn route(req: &Request<Body>, dir: &Path) -> Result<Response<Body>, HttpError> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/") => Ok(Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from(FORM))?),
        (&Method::POST, "/") => save_uploads(req, dir),
        (_, "/") => Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "GET the form or POST files",
        )),
        (_, path) => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no route for {path}"),
        )),
    }
}

/// Moves every uploaded file into `dir` and says where each went. A file rr could not take
/// (e.g. a forbidden extension) is reported, not fatal.
fn save_uploads(req: &Request<Body>, dir: &Path) -> Result<Response<Body>, HttpError> {
    let files = req.uploads().files();
    if files.is_empty() {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "no files: POST a multipart/form-data form with at least one file",
        ));
    }
    let mut saved = Vec::new();
    let mut failed = Vec::new();
    for (field, file) in files {
        match file.move_into(dir) {
            Ok(path) => {
                rr_http::log!("uploads: {field} -> {}", path.display());
                saved.push(json!({
                    "field": field,
                    "name": file.client_filename(),
                    "media_type": file.client_media_type(),
                    "size": file.size(),
                    "path": path,
                }));
            }
            Err(e) => failed.push(json!({
                "field": field,
                "name": file.client_filename(),
                "error": e.to_string(),
            })),
        }
    }
    let answer = json!({ "saved": saved, "failed": failed, "form": req.form()? });
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{answer:#}\n")))?)
}
