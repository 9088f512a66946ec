//! User story 7: an existing axum `Router`, unchanged, served as a RoadRunner worker:
//! extractors, JSON, a streamed body, server-sent events, 103 Early Hints, and rr's request
//! data through rr-http's extractors (feature `axum`): `RemoteAddr`, `Cookies`, `Uploads`,
//! `Attributes`, `RawQuery`, `PhpQuery`, `PhpForm`, `HintSender`.
//!
//! Run it with `cargo xtask demo axum`, then try `curl 'http://127.0.0.1:8080/hello?name=rr'`,
//! `curl -d '{"a":1}' -H 'content-type: application/json' http://127.0.0.1:8080/json`,
//! `curl -N 'http://127.0.0.1:8080/sse?count=3'`, `curl -v http://127.0.0.1:8080/page`,
//! `curl 'http://127.0.0.1:8080/php-query?tags[]=a&tags[]=b'` or
//! `curl -F title=t -F 'rows[0][name]=a' -F doc=@Cargo.toml http://127.0.0.1:8080/php-form`.
//!
//! Each `tracing` event is one line in rr's log, e.g. `INFO request{method=POST
//! path=/php-form}: axum: sheet saved rows=1 files=1` (rr-http feature `tracing`).
//!
//! `/php-form` works under both `http.raw_body` settings; `/form` and `/multipart` use axum's
//! own `Form` and `Multipart`, which read the raw body and so need `http.raw_body: true`
//! (with rr's default they answer with an error that says so).

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::multipart::MultipartError;
use axum::extract::{Extension, Form, Multipart, Query};
use axum::response::Html;
use axum::response::sse::{Event, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream};
use rr_http::axum::{PhpForm, PhpQuery};
use rr_http::{Attributes, Cookies, HintSender, RawQuery, RemoteAddr, Uploads};
use serde::{Deserialize, Serialize};

fn app() -> Router {
    Router::new()
        .route("/hello", get(hello))
        .route("/json", post(echo_json))
        .route("/whoami", get(whoami))
        .route("/sse", get(events))
        .route("/page", get(page))
        .route("/form", post(axum_form))
        .route("/multipart", post(axum_multipart))
        .route("/uploads-ext", post(uploads_ext).get(uploads_ext))
        .route("/php-form", post(php_form))
        .route("/php-query", get(php_query))
        .route("/rr", get(rr_data).post(rr_data))
}

#[derive(Deserialize, Serialize)]
struct Row {
    name: String,
}

#[derive(Deserialize, Serialize)]
struct Sheet {
    title: String,
    #[serde(default)]
    rows: Vec<Row>,
}

/// A form with PHP's bracket syntax, whatever `http.raw_body` says; files come as `Uploads`.
async fn php_form(uploads: Uploads, PhpForm(sheet): PhpForm<Sheet>) -> Json<serde_json::Value> {
    let files: Vec<String> = uploads
        .files()
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    tracing::info!(rows = sheet.rows.len(), files = files.len(), "sheet saved");
    Json(serde_json::json!({ "sheet": sheet, "files": files }))
}

#[derive(Deserialize, Serialize)]
struct Filter {
    #[serde(default)]
    tags: Vec<String>,
    page: Option<u32>,
}

async fn php_query(PhpQuery(filter): PhpQuery<Filter>) -> Json<Filter> {
    Json(filter)
}

/// Everything rr tells about a request, each present (maybe empty) on every request.
async fn rr_data(
    addr: RemoteAddr,
    cookies: Cookies,
    uploads: Uploads,
    attributes: Attributes,
    RawQuery(query): RawQuery,
) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "addr": addr.as_str(),
        "cookies": cookies,
        "uploads": uploads.files().len(),
        "attributes": attributes,
        "raw_query": query,
    }))
}

/// axum's own `Form`: reads the raw urlencoded body, so it needs `http.raw_body: true`.
async fn axum_form(Form(fields): Form<BTreeMap<String, String>>) -> Json<BTreeMap<String, String>> {
    Json(fields)
}

/// axum's own `Multipart`: reads the raw multipart body, so it needs `http.raw_body: true`.
async fn axum_multipart(mut form: Multipart) -> Result<Json<serde_json::Value>, MultipartError> {
    let mut fields = serde_json::Map::new();
    while let Some(field) = form.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        let file = field.file_name().map(str::to_owned);
        let data = field.bytes().await?;
        let value = match file {
            Some(file) => serde_json::json!({ "file": file, "size": data.len() }),
            None => String::from_utf8_lossy(&data).into(),
        };
        fields.insert(name, value);
    }
    Ok(Json(fields.into()))
}

/// rr's data is in the request extensions too, for axum's `Extension`: always there.
async fn uploads_ext(Extension(uploads): Extension<Uploads>) -> String {
    format!("{} files", uploads.files().len())
}

/// Tells the browser what to preload (103 Early Hints) while the page is still being made.
async fn page(hints: HintSender) -> Html<&'static str> {
    // A hint that cannot be sent is no reason to fail the page.
    let _ = hints.early_hints([
        "</app.css>; rel=preload; as=style",
        "</app.js>; rel=preload; as=script",
    ]);
    tokio::time::sleep(Duration::from_millis(50)).await; // rendering
    Html("<html><link rel=stylesheet href=/app.css>rendered</html>")
}

#[derive(Deserialize)]
struct Greeting {
    name: Option<String>,
}

async fn hello(Query(greeting): Query<Greeting>) -> String {
    format!(
        "Hello, {}!",
        greeting.name.as_deref().unwrap_or("RoadRunner")
    )
}

async fn echo_json(Json(value): Json<serde_json::Value>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "received": value }))
}

/// rr's request data, extracted like any axum extractor.
async fn whoami(addr: RemoteAddr, cookies: Cookies) -> String {
    format!(
        "{} sid={}",
        addr.as_str(),
        cookies.get("sid").unwrap_or("none")
    )
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

/// `count` events, 20 ms apart, produced by a tokio timer while the response streams.
async fn events(
    Query(Count { count }): Query<Count>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let ticks = stream::unfold(0, move |i| async move {
        if i == count {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        Some((Ok(Event::default().data(format!("tick {i}"))), i + 1))
    });
    Sse::new(ticks)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `tracing` events become one line each in rr's log, inside a span naming the request.
    rr_http::tracing::init()?;
    rr_http::serve_service(app())?;
    Ok(())
}
