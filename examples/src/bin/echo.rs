//! User story 2: read everything the client sent, and send it back as JSON: method, URI,
//! headers (every value, in order), the query parsed the way PHP does (`a[]=1&b[c]=2`), cookies,
//! the client's address, attributes set by rr middleware, the form rr parsed from a urlencoded
//! or multipart body, the uploaded files, and the body itself.
//!
//! Run it with `cargo xtask demo echo`, then try
//! `curl -g -b 'sid=42' -d 'user[name]=ann&tags[]=x&tags[]=y' 'http://127.0.0.1:8080/any/path?a[]=1&a[]=2&b[c]=3'`.

use http::{Request, Response, header};
use rr_http::{Body, HttpError, RequestExt};
use serde_json::{Map, json};

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve(echo)
}

fn echo(req: Request<Body>) -> Result<Response<Body>, HttpError> {
    let mut headers = Map::new();
    for name in req.headers().keys() {
        let values: Vec<_> = req
            .headers()
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()))
            .collect();
        headers.insert(name.to_string(), json!(values));
    }
    let uploads: Vec<_> = req
        .uploads()
        .files()
        .into_iter()
        .map(|(field, file)| {
            json!({
                "field": field,
                "name": file.client_filename(),
                "media_type": file.client_media_type(),
                "size": file.size(),
                "status": file.status().to_string(),
            })
        })
        .collect();
    // Request bodies always arrive complete. For a form rr parsed, this is rr's JSON tree of the
    // fields (also under "form"), not the bytes the client sent.
    let body = req.body().as_bytes().cloned().unwrap_or_default();

    let echo = json!({
        "method": req.method().as_str(),
        "uri": req.uri().to_string(),
        "version": format!("{:?}", req.version()),
        "headers": headers,
        "query": req.query(),
        "cookies": req.cookies(),
        "remote_addr": req.remote_addr().map(|addr| addr.as_str()),
        "attributes": req.attributes(),
        "form": req.form()?,
        "uploads": uploads,
        "body": String::from_utf8_lossy(&body),
        "body_len": body.len(),
    });
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{echo:#}\n")))?)
}
