//! The worker the end-to-end tests run under rr: one route per behaviour under test.

use std::io::Read;
use std::time::Duration;

use http::{HeaderValue, Response, StatusCode};
use rr_http::{Body, Codec, HttpError, RequestExt, UploadStatus};
use serde_json::json;

fn main() -> Result<(), rr_http::Error> {
    if let Some(dir) = std::env::var_os("E2E_PID_DIR") {
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(std::process::id().to_string()),
            "",
        );
    }
    let worker = rr_http::HttpWorker::from_env()?;
    let worker = match std::env::var("E2E_CHUNK_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(size) => worker.with_chunk_size(size),
        None => worker,
    };
    // The codec chosen explicitly instead of detected per request.
    let worker = match std::env::var("E2E_CODEC").as_deref() {
        Ok("json") => worker.with_codec(Codec::Json),
        _ => worker,
    };
    worker.serve_with_hints(|req, hints| -> Result<Response<Body>, HttpError> {
        let path = req.uri().path().to_owned();
        match path.as_str() {
            "/hello" => Ok(Response::new(Body::from("Hello RoadRunner!"))),
            "/echo" => echo(&req),
            "/status" => {
                let code: u16 = req.query_as::<Code>()?.code;
                let status = StatusCode::from_u16(code)
                    .map_err(|e| HttpError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
                Ok(Response::builder()
                    .status(status)
                    .header("x-multi", "one")
                    .header("x-multi", "two")
                    .header("content-type", "text/plain")
                    .body(Body::from(format!("status {code}")))?)
            }
            "/error" => Err(HttpError::internal("deliberate failure")),
            "/error-status" => Err(HttpError::new(StatusCode::IM_A_TEAPOT, "short and stout")),
            "/panic" => panic!("deliberate panic"),
            "/bad-status" => Ok(Response::builder().status(103).body(Body::from("x"))?),
            "/newline-header" => {
                let value = HeaderValue::from_str("a\r\nSet-Cookie: evil=1")?;
                Ok(Response::builder()
                    .header("x-bad", value)
                    .body(Body::empty())?)
            }
            "/cookies" => Ok(Response::builder()
                .header("set-cookie", "a=1; Path=/")
                .header("set-cookie", "b=2; Path=/; HttpOnly")
                .body(Body::from(req.cookie("sid").unwrap_or("none").to_owned()))?),
            // Bodies a 204 or 304 must not have: rr-http leaves them out (Go would refuse them).
            "/no-content" => Ok(Response::builder()
                .status(204)
                .body(Body::from("a body a 204 must not carry"))?),
            "/not-modified" => Ok(Response::builder()
                .status(304)
                .header("etag", "\"v1\"")
                .body(Body::chunks(["a streamed body ", "a 304 must not carry"]))?),
            "/signup" => {
                let signup: Signup = req.form_as()?;
                Ok(json_response(&json!({
                    "name": signup.name,
                    "tags": signup.tags,
                    "city": signup.address.city,
                    "age": signup.age,
                })))
            }
            "/json" => {
                let value: serde_json::Value = req.json()?;
                Ok(json_response(&json!({ "received": value })))
            }
            "/print" => {
                println!("stray output from a handler");
                print!("more stray output without a newline");
                Ok(Response::new(Body::from("printed")))
            }
            "/stream" => {
                let q: StreamQuery = req.query_as()?;
                let reader = Pattern { left: q.size };
                Ok(Response::builder()
                    .header("content-type", "application/octet-stream")
                    .body(Body::reader(reader))?)
            }
            "/trailers" => {
                // Names listed in `Trailer` go out after the body (rr moves them there).
                let body = if req.query().get("stream").is_some() {
                    Body::chunks((0..3).map(|i| format!("part-{i}\n")))
                } else {
                    Body::from("whole body\n")
                };
                Ok(Response::builder()
                    .header("trailer", "x-checksum, x-rows")
                    .header("x-checksum", "sha256=abc")
                    .header("x-rows", "3")
                    .header("x-kept", "header")
                    .body(body)?)
            }
            "/abort" => {
                // The producer sends `after` chunks, then fails.
                let after: usize = req.query_as::<After>()?.after;
                let (tx, body) = Body::channel();
                std::thread::spawn(move || {
                    for i in 0..after {
                        let _ = tx.send(format!("chunk-{i}\n"));
                    }
                    let _ = tx.abort("the producer's database went away");
                });
                Ok(Response::new(body))
            }
            "/chunks" => Ok(Response::new(Body::chunks(
                (0..5).map(|i| format!("chunk-{i}\n")),
            ))),
            "/sse" => {
                let (tx, body) = Body::channel();
                let marker = std::env::var("E2E_DIR").unwrap_or_default();
                std::thread::spawn(move || {
                    for i in 0.. {
                        if let Err(gone) = tx.send(format!("data: {i}\n\n")) {
                            let _ = std::fs::write(
                                format!("{marker}/producer-saw-client-gone"),
                                format!("{gone}; is_closed: {}", tx.is_closed()),
                            );
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                });
                Ok(Response::builder()
                    .header("content-type", "text/event-stream")
                    .body(body)?)
            }
            "/hints" => {
                hints.early_hints([
                    "</style.css>; rel=preload; as=style",
                    "</app.js>; rel=preload; as=script",
                ])?;
                let status: u16 = req.query_as::<Code>().map(|c| c.code).unwrap_or(200);
                Ok(Response::builder()
                    .status(status)
                    .header("content-type", "text/html")
                    .body(Body::from("<html>hinted</html>"))?)
            }
            "/hints-twice" => {
                hints.early_hints(["</first.css>; rel=preload; as=style"])?;
                hints.early_hints(["</second.js>; rel=preload; as=script"])?;
                Ok(Response::new(Body::from("twice hinted")))
            }
            "/rss" => {
                let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
                let hwm = status
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .unwrap_or("VmHWM: 0 kB");
                let kb: u64 = hwm
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                Ok(json_response(
                    &json!({ "peak_rss_kb": kb, "pid": std::process::id() }),
                ))
            }
            "/upload" => {
                let dest = match std::env::var_os("E2E_SAVE_DIR") {
                    Some(dir) => std::path::PathBuf::from(dir),
                    None => std::path::PathBuf::from(std::env::var("E2E_DIR").unwrap_or_default())
                        .join("kept"),
                };
                std::fs::create_dir_all(&dest)?;
                let mut files = Vec::new();
                for (field, file) in req.uploads().files() {
                    let saved = if file.status() == UploadStatus::Ok {
                        let bad = |e: rr_http::UploadError| {
                            HttpError::new(StatusCode::BAD_REQUEST, e.to_string())
                        };
                        // Field `exact` goes to a fixed path; the others keep their safe names.
                        let saved = if field == "exact" {
                            let path = dest.join("exact.bin");
                            file.move_to(&path).map_err(bad)?;
                            path
                        } else {
                            file.move_into(&dest).map_err(bad)?
                        };
                        Some(saved)
                    } else {
                        None
                    };
                    files.push(json!({
                        "field": field,
                        "name": file.client_filename(),
                        "mime": file.client_media_type(),
                        "size": file.size(),
                        "status": file.status().code(),
                        "has_tmp_path": file.tmp_path().is_some(),
                        "saved": saved,
                    }));
                }
                Ok(json_response(
                    &json!({ "files": files, "form": req.form()? }),
                ))
            }
            "/pid" => Ok(Response::new(Body::from(std::process::id().to_string()))),
            _ => Err(HttpError::new(
                StatusCode::NOT_FOUND,
                format!("no route for {path}"),
            )),
        }
    })
}

#[derive(serde::Deserialize)]
struct Code {
    code: u16,
}

#[derive(serde::Deserialize)]
struct After {
    after: usize,
}

#[derive(serde::Deserialize)]
struct StreamQuery {
    size: u64,
}

#[derive(serde::Deserialize)]
struct Signup {
    name: String,
    #[serde(default)]
    tags: Vec<String>,
    address: Address,
    age: Option<u32>,
}

#[derive(serde::Deserialize)]
struct Address {
    city: String,
}

fn json_response(value: &serde_json::Value) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(value.to_string()))
        .expect("valid response")
}

fn echo(req: &http::Request<Body>) -> Result<Response<Body>, HttpError> {
    let mut headers = serde_json::Map::new();
    for name in req.headers().keys() {
        let values: Vec<String> = req
            .headers()
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        headers.insert(name.as_str().to_owned(), json!(values));
    }
    let body = req.body().as_bytes().cloned().unwrap_or_default();
    let cookies: serde_json::Map<String, serde_json::Value> = req
        .cookies()
        .iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    Ok(json_response(&json!({
        "method": req.method().as_str(),
        "uri": req.uri().to_string(),
        "version": format!("{:?}", req.version()),
        "headers": headers,
        "query": req.query(),
        "raw_query": req.raw_query(),
        "cookies": cookies,
        "remote_addr": req.remote_addr().map(|a| a.as_str()),
        "attributes": req.attributes(),
        "form": req.form()?,
        "body_len": body.len(),
        "body_fnv": rr_e2e::fnv(&body),
        "body": if body.len() <= 4096 { String::from_utf8_lossy(&body).into_owned() } else { String::new() },
    })))
}

/// `size` bytes of a repeating pattern, produced on demand (no buffer of that size exists).
struct Pattern {
    left: u64,
}

/// A stream dropped before its end says so in rr's log: proof that the worker noticed the client
/// leaving rather than producing the rest.
impl Drop for Pattern {
    fn drop(&mut self) {
        if self.left > 0 {
            rr_http::log!("e2e: stream abandoned with {} bytes left", self.left);
        }
    }
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = b'a' + ((self.left as usize - i) % 26) as u8;
        }
        self.left -= n as u64;
        Ok(n)
    }
}
