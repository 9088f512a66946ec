//! The worker behind `e2e/tests/form_data.rs`: forms, uploads and the environment, as the
//! handler sees them.

use http::{Response, StatusCode};
use rr_http::{Body, HttpError, RequestExt};
use serde_json::json;

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve(
        |req: http::Request<Body>| -> Result<Response<Body>, HttpError> {
            match req.uri().path() {
                // `rows[i][name]` fields, read into a `Vec` in the order of `i`.
                "/rows" => {
                    let form: Rows = req.form_as()?;
                    let names: Vec<String> = form.rows.into_iter().map(|r| r.name).collect();
                    Ok(json_response(&json!({ "names": names })))
                }
                // Every uploaded file's field path, in the order `Uploads::files` gives them.
                "/upload-fields" => {
                    let fields: Vec<String> =
                        req.uploads().files().into_iter().map(|(f, _)| f).collect();
                    Ok(json_response(&json!({ "fields": fields })))
                }
                // The bytes of variable `E2E_LATIN1`, which may be anything but UTF-8.
                "/latin1" => {
                    use std::os::unix::ffi::OsStrExt;
                    let value = std::env::var_os("E2E_LATIN1").unwrap_or_default();
                    Ok(json_response(&json!({ "bytes": value.as_bytes() })))
                }
                path => Err(HttpError::new(
                    StatusCode::NOT_FOUND,
                    format!("no route for {path}"),
                )),
            }
        },
    )
}

#[derive(serde::Deserialize)]
struct Rows {
    rows: Vec<Row>,
}

#[derive(serde::Deserialize)]
struct Row {
    name: String,
}

fn json_response(value: &serde_json::Value) -> Response<Body> {
    let mut res = Response::new(Body::from(value.to_string()));
    res.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    res
}
