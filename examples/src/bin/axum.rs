//! User story 7: an existing axum `Router`, unchanged, served as a RoadRunner worker:
//! extractors, JSON, a streamed body, server-sent events, 103 Early Hints and rr's request
//! extensions.
//!
//! Run it with `cargo xtask demo axum`, then try `curl 'http://127.0.0.1:8080/hello?name=rr'`,
//! `curl -d '{"a":1}' -H 'content-type: application/json' http://127.0.0.1:8080/json`,
//! `curl -N 'http://127.0.0.1:8080/sse?count=3'` or `curl -v http://127.0.0.1:8080/page`.

use std::time::Duration;

use axum::extract::{Extension, Query};
use axum::response::Html;
use axum::response::sse::{Event, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream};
use rr_http::{Cookies, HintSender, RemoteAddr};
use serde::Deserialize;

fn app() -> Router {
    Router::new()
        .route("/hello", get(hello))
        .route("/json", post(echo_json))
        .route("/whoami", get(whoami))
        .route("/sse", get(events))
        .route("/page", get(page))
}

/// Tells the browser what to preload (103 Early Hints) while the page is still being made.
async fn page(Extension(hints): Extension<HintSender>) -> Html<&'static str> {
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

/// rr's request data arrives as request extensions.
async fn whoami(
    Extension(addr): Extension<RemoteAddr>,
    Extension(cookies): Extension<Cookies>,
) -> String {
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

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve_service(app())
}
