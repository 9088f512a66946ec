//! User story 4: stream big or slow responses while memory stays at one chunk. Three bodies
//! that are produced while they are sent:
//!
//! * `/numbers?count=N`: the lines `1` to `N` from an iterator;
//! * `/big?mb=N`: `N` MiB from a `Read` producer, cut into 64 KiB frames;
//! * `/sse?count=N&every_ms=M`: server-sent events from a channel that another thread fills,
//!   forever unless `count` is given; that thread stops as soon as `send` says the client is gone.
//!
//! Run it with `cargo xtask demo streaming`, then try
//! `curl -N http://127.0.0.1:8080/sse` (Ctrl-C it: the worker logs that the producer stopped),
//! `curl http://127.0.0.1:8080/numbers?count=5` or
//! `curl -o /dev/null -w '%{size_download}\n' http://127.0.0.1:8080/big?mb=100`.

use std::io::Read;
use std::time::Duration;

use http::{Request, Response, StatusCode, header};
use rr_http::{Body, ClientGone, HttpError, RequestExt};
use serde::Deserialize;

/// The most `/numbers` makes: every line is a frame of its own.
const MAX_NUMBERS: u64 = 100_000;
/// The most MiB `/big` sends.
const MAX_MB: u64 = 1024;

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve(|req: Request<Body>| match req.uri().path() {
        "/numbers" => numbers(&req),
        "/big" => big(&req),
        "/sse" => sse(&req),
        "/" => Ok(Response::new(Body::from(
            "try /numbers?count=10, /big?mb=100 or /sse\n",
        ))),
        path => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no route for {path}"),
        )),
    })
}

#[derive(Deserialize)]
struct Numbers {
    count: Option<u64>,
}

/// One line per number, produced lazily by an iterator; each item is sent as soon as it exists.
fn numbers(req: &Request<Body>) -> Result<Response<Body>, HttpError> {
    let count = req.query_as::<Numbers>()?.count;
    let count = at_most(count.unwrap_or(10), MAX_NUMBERS, "count")?;
    let lines = (1..=count).map(|n| format!("{n}\n"));
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::chunks(lines))?)
}

#[derive(Deserialize)]
struct Big {
    mb: Option<u64>,
}

/// `mb` MiB of dots from a reader: the same way a `File` would be streamed.
fn big(req: &Request<Body>) -> Result<Response<Body>, HttpError> {
    let mb = req.query_as::<Big>()?.mb;
    let mb = at_most(mb.unwrap_or(1), MAX_MB, "mb")?;
    let reader = std::io::repeat(b'.').take(mb * 1024 * 1024);
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::reader(reader))?)
}

#[derive(Deserialize)]
struct Sse {
    count: Option<u64>,
    every_ms: Option<u64>,
}

/// Server-sent events fed by a thread. The response is sent while the thread runs; when the
/// client disconnects, the thread's next `send` fails with [`ClientGone`] and it returns.
fn sse(req: &Request<Body>) -> Result<Response<Body>, HttpError> {
    let Sse { count, every_ms } = req.query_as()?;
    let every = Duration::from_millis(every_ms.unwrap_or(1000));
    let (tx, body) = Body::channel();
    std::thread::spawn(move || {
        for id in 1..=count.unwrap_or(u64::MAX) {
            if id > 1 {
                std::thread::sleep(every);
            }
            if let Err(ClientGone) = tx.send(format!("id: {id}\ndata: tick {id}\n\n")) {
                rr_http::log!("sse: client gone after {} events, producer stopped", id - 1);
                return;
            }
        }
        // Dropping `tx` ends the response.
    });
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)?)
}

fn at_most(value: u64, max: u64, name: &str) -> Result<u64, HttpError> {
    if value > max {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            format!("{name} must be at most {max}"),
        ));
    }
    Ok(value)
}
