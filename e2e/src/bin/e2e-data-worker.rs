//! The worker behind `e2e/tests/form_data.rs`, `environment.rs` and `handler_errors.rs`:
//! forms, uploads, the environment and error types, as the handler sees them.

use http::{Request, Response, StatusCode};
use rr_http::{Body, HandlerError, HttpError, IntoReply, RequestExt};
use serde_json::json;

fn main() -> Result<(), rr_http::Error> {
    if let Some(n) = std::env::var("E2E_MAX_INPUT_VARS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        rr_http::params::QueryLimits::PHP
            .with_max_input_vars(n)
            .set_global();
    }
    rr_http::serve(route)
}

fn route(req: Request<Body>) -> Result<Response<Body>, HttpError> {
    match req.uri().path() {
        // `rows[i][name]` fields, read into a `Vec` in the order of `i`.
        "/rows" => {
            let form: Rows = req.form_as()?;
            let names: Vec<String> = form.rows.into_iter().map(|r| r.name).collect();
            Ok(json_response(&json!({ "names": names })))
        }
        // Every uploaded file's field path, in the order `Uploads::files` gives them.
        "/upload-fields" => {
            let fields: Vec<String> = req.uploads().files().into_iter().map(|(f, _)| f).collect();
            Ok(json_response(&json!({ "fields": fields })))
        }
        // The nested uploads tree walked as rr sent it (`upload[x][y][]`, `upload[x][z]`).
        "/upload-tree" => {
            let uploads = req.uploads();
            let x = uploads.get_path(&["upload", "x"]);
            let keys: Vec<&str> = x
                .map(|x| x.iter().map(|(k, _)| k).collect())
                .unwrap_or_default();
            let y: Vec<(String, &str)> = x
                .and_then(|x| x.get("y"))
                .map(|y| {
                    y.files()
                        .into_iter()
                        .map(|(p, f)| (p, f.client_filename()))
                        .collect()
                })
                .unwrap_or_default();
            let z = uploads
                .field("upload[x][z]")
                .and_then(|n| n.as_file())
                .map(|f| f.client_filename());
            let top: Vec<&str> = uploads.iter().map(|(k, _)| k).collect();
            Ok(json_response(
                &json!({ "top": top, "x": keys, "y": y, "z": z }),
            ))
        }
        // The bytes of variable `E2E_LATIN1`, which may be anything but UTF-8.
        "/latin1" => {
            use std::os::unix::ffi::OsStrExt;
            let value = std::env::var_os("E2E_LATIN1").unwrap_or_default();
            Ok(json_response(&json!({ "bytes": value.as_bytes() })))
        }
        // How many top-level variables the query has, under the worker's limits.
        "/query-len" => Ok(Response::new(Body::from(req.query().len().to_string()))),
        // A handler returning its own error enum, which decides its status.
        "/app-error" => app(req.query().get("kind").and_then(|k| k.as_str())).into_reply(),
        // A boxed error holding an `HttpError`: its status survives the box.
        "/boxed" => boxed().into_reply(),
        // `json` of a body that does not fit: 422; `form_as` of a JSON body: 415.
        "/item" => {
            let item: Item = if req.query().get("form").is_some() {
                req.form_as()?
            } else {
                req.json()?
            };
            Ok(Response::new(Body::from(item.id.to_string())))
        }
        // A tuple of status, headers and bytes.
        "/bytes" => (
            StatusCode::ACCEPTED,
            [("content-type", "image/png"), ("x-kind", "tuple")],
            vec![0x89u8, b'P', b'N', b'G'],
        )
            .into_reply(),
        // An `anyhow::Error` carrying an `HttpError` keeps its status.
        "/anyhow" => {
            let result: anyhow::Result<&str> =
                Err(HttpError::new(StatusCode::PAYMENT_REQUIRED, "pay first").into());
            result.into_reply()
        }
        path => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no route for {path}"),
        )),
    }
}

#[derive(Debug, thiserror::Error)]
enum AppError {
    #[error("no such thing")]
    Missing,
    #[error("the database is down")]
    Database,
}

impl HandlerError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Missing => StatusCode::NOT_FOUND,
            AppError::Database => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn app(kind: Option<&str>) -> Result<&'static str, AppError> {
    match kind {
        Some("missing") => Err(AppError::Missing),
        Some("database") => Err(AppError::Database),
        _ => Ok("fine"),
    }
}

fn boxed() -> Result<&'static str, Box<dyn std::error::Error + Send + Sync>> {
    Err(HttpError::new(StatusCode::CONFLICT, "already taken").into())
}

#[derive(serde::Deserialize)]
struct Item {
    id: u32,
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
