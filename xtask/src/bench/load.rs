//! The load generator: N keep-alive HTTP/1.1 connections on std threads, each sending one
//! request at a time (closed loop) for a warm-up and then a measured period.
//!
//! Only responses that complete inside the measured window count; each one's latency is the
//! time from writing the request to having read the whole response. Every status must be 200
//! and, when a body is expected, every body must be exactly that.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// I/O errors a connection may see before it gives up (each one reconnects).
const MAX_ERRORS_PER_CONNECTION: u32 = 20;
/// Latencies kept per connection; beyond that they are still counted, not stored.
const MAX_SAMPLES_PER_CONNECTION: usize = 4_000_000;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What to send, where, and for how long.
#[derive(Debug, Clone)]
pub(crate) struct LoadConfig {
    pub(crate) addr: SocketAddr,
    /// Path and query of every request.
    pub(crate) path: String,
    /// Header lines sent after `Host`, each ending in CRLF.
    pub(crate) headers: String,
    pub(crate) connections: usize,
    pub(crate) warmup: Duration,
    pub(crate) duration: Duration,
    /// The body every response must have, if any.
    pub(crate) expect_body: Option<Vec<u8>>,
}

/// What the load generator saw in the measured window.
#[derive(Debug, Default)]
pub(crate) struct LoadReport {
    /// Responses with status 200 (and the expected body) completed in the window.
    pub(crate) ok: u64,
    /// Responses with another status, or another body (any time, warm-up included).
    pub(crate) bad: u64,
    /// I/O or parse errors (any time, warm-up included).
    pub(crate) errors: u64,
    /// Up to five distinct messages describing bad responses and errors.
    pub(crate) samples: Vec<String>,
    /// Latency of every `ok` response in microseconds, sorted.
    pub(crate) latencies_us: Vec<u32>,
    /// The measured window.
    pub(crate) window: Duration,
}

impl LoadReport {
    pub(crate) fn requests_per_sec(&self) -> f64 {
        self.ok as f64 / self.window.as_secs_f64()
    }

    /// The `q` quantile (0..=1) of the latencies, in milliseconds.
    pub(crate) fn latency_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let rank = (q * (self.latencies_us.len() - 1) as f64).round() as usize;
        f64::from(self.latencies_us[rank]) / 1000.0
    }

    fn note(&mut self, message: String) {
        if self.samples.len() < 5 && !self.samples.contains(&message) {
            self.samples.push(message);
        }
    }
}

/// Called once when the measured window opens and once when it closes, from the thread that
/// runs [`run`] (to take CPU snapshots of the server's processes).
pub(crate) trait WindowHooks {
    fn window_opened(&mut self);
    fn window_closed(&mut self);
}

/// Runs the load and returns what it saw. Bounded: every connection stops at the end of the
/// window (or after [`MAX_ERRORS_PER_CONNECTION`] errors), and every read and write has a
/// timeout.
pub(crate) fn run(cfg: &LoadConfig, hooks: &mut dyn WindowHooks) -> LoadReport {
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\n{}\r\n",
        cfg.path, cfg.addr, cfg.headers
    )
    .into_bytes();
    let request: Arc<[u8]> = request.into();
    let expect: Option<Arc<[u8]>> = cfg.expect_body.clone().map(Into::into);
    // Every connection and this thread start the clock together.
    let barrier = Arc::new(Barrier::new(cfg.connections + 1));
    let mut handles = Vec::with_capacity(cfg.connections);
    let (warmup, duration) = (cfg.warmup, cfg.duration);
    for _ in 0..cfg.connections {
        let (addr, request, expect, barrier) =
            (cfg.addr, request.clone(), expect.clone(), barrier.clone());
        handles.push(thread::spawn(move || {
            barrier.wait();
            let start = Instant::now();
            connection(
                addr,
                &request,
                expect.as_deref(),
                start + warmup,
                start + warmup + duration,
            )
        }));
    }
    barrier.wait();
    let start = Instant::now();
    sleep_until(start + warmup);
    hooks.window_opened();
    sleep_until(start + warmup + duration);
    hooks.window_closed();

    let mut report = LoadReport {
        window: duration,
        ..LoadReport::default()
    };
    for handle in handles {
        let part = handle.join().unwrap_or_else(|_| LoadReport {
            errors: 1,
            samples: vec!["a load thread panicked".into()],
            ..LoadReport::default()
        });
        report.ok += part.ok;
        report.bad += part.bad;
        report.errors += part.errors;
        report.latencies_us.extend(part.latencies_us);
        for s in part.samples {
            report.note(s);
        }
    }
    report.latencies_us.sort_unstable();
    report
}

fn sleep_until(deadline: Instant) {
    let now = Instant::now();
    if deadline > now {
        thread::sleep(deadline - now);
    }
}

/// One connection's closed loop.
fn connection(
    addr: SocketAddr,
    request: &[u8],
    expect: Option<&[u8]>,
    window_start: Instant,
    window_end: Instant,
) -> LoadReport {
    let mut report = LoadReport::default();
    let mut conn: Option<Conn> = None;
    let mut failures = 0;
    while Instant::now() < window_end && failures < MAX_ERRORS_PER_CONNECTION {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match Conn::open(addr) {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    failures += 1;
                    report.errors += 1;
                    report.note(format!("connect: {e}"));
                    thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let sent = Instant::now();
        let response = c.exchange(request);
        let done = Instant::now();
        match response {
            Ok(r) => {
                let body_ok = expect.is_none_or(|e| e == r.body.as_slice());
                if r.status != 200 || !body_ok {
                    report.bad += 1;
                    report.note(format!(
                        "status {} body {:?}",
                        r.status,
                        String::from_utf8_lossy(&r.body[..r.body.len().min(80)])
                    ));
                } else if done >= window_start && done < window_end {
                    report.ok += 1;
                    if report.latencies_us.len() < MAX_SAMPLES_PER_CONNECTION {
                        let us = (done - sent).as_micros();
                        report
                            .latencies_us
                            .push(u32::try_from(us).unwrap_or(u32::MAX));
                    }
                }
                if r.close {
                    conn = None;
                }
            }
            Err(e) => {
                failures += 1;
                report.errors += 1;
                report.note(format!("exchange: {e}"));
                conn = None;
            }
        }
    }
    report
}

struct Response {
    status: u16,
    body: Vec<u8>,
    /// The server will close the connection after this response.
    close: bool,
}

struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    line: String,
}

impl Conn {
    fn open(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        Ok(Self {
            reader: BufReader::with_capacity(16 * 1024, stream.try_clone()?),
            writer: stream,
            line: String::new(),
        })
    }

    fn exchange(&mut self, request: &[u8]) -> io::Result<Response> {
        self.writer.write_all(request)?;
        let status = self.status_line()?;
        let mut content_length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            self.read_line()?;
            let line = self.line.trim_end();
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(invalid(format!("bad header line {line:?}")));
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                content_length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| invalid(format!("bad Content-Length {value:?}")))?,
                );
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        let body = if chunked {
            self.chunked_body()?
        } else if let Some(len) = content_length {
            let mut body = vec![0; len];
            self.reader.read_exact(&mut body)?;
            body
        } else if status == 204 || status == 304 {
            Vec::new()
        } else {
            return Err(invalid(
                "response without Content-Length or chunked encoding".into(),
            ));
        };
        Ok(Response {
            status,
            body,
            close,
        })
    }

    fn read_line(&mut self) -> io::Result<()> {
        self.line.clear();
        if self.reader.read_line(&mut self.line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    fn status_line(&mut self) -> io::Result<u16> {
        self.read_line()?;
        // "HTTP/1.1 200 OK"
        let mut parts = self.line.split_whitespace();
        match (parts.next(), parts.next().and_then(|s| s.parse().ok())) {
            (Some(v), Some(code)) if v.starts_with("HTTP/1.") => Ok(code),
            _ => Err(invalid(format!("bad status line {:?}", self.line))),
        }
    }

    fn chunked_body(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            self.read_line()?;
            let size = self.line.trim_end().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| invalid(format!("bad chunk size {:?}", self.line)))?;
            if size == 0 {
                // Trailers, then the empty line.
                loop {
                    self.read_line()?;
                    if self.line.trim_end().is_empty() {
                        return Ok(body);
                    }
                }
            }
            let start = body.len();
            body.resize(start + size, 0);
            self.reader.read_exact(&mut body[start..])?;
            self.read_line()?; // the CRLF after the chunk
        }
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A one-connection server on 127.0.0.1 that answers each request with the next canned
    /// response.
    fn serve(responses: &'static [&'static str]) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            for response in responses {
                let mut line = String::new();
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == "\r\n" {
                        break;
                    }
                }
                writer.write_all(response.as_bytes()).unwrap();
            }
        });
        addr
    }

    #[test]
    fn reads_length_delimited_and_chunked_responses_on_one_connection() {
        let addr = serve(&[
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ]);
        let mut conn = Conn::open(addr).unwrap();
        let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        let r = conn.exchange(request).unwrap();
        assert_eq!(
            (r.status, r.body.as_slice(), r.close),
            (200, &b"hello"[..], false)
        );
        let r = conn.exchange(request).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"abcde"[..]));
        let r = conn.exchange(request).unwrap();
        assert_eq!((r.status, r.body.len(), r.close), (404, 0, true));
    }

    #[test]
    fn percentiles_pick_by_rank() {
        let report = LoadReport {
            ok: 100,
            latencies_us: (1..=100).map(|v| v * 1000).collect(),
            window: Duration::from_secs(2),
            ..LoadReport::default()
        };
        assert_eq!(report.requests_per_sec(), 50.0);
        assert_eq!(report.latency_ms(0.0), 1.0);
        assert_eq!(report.latency_ms(0.5), 51.0);
        assert_eq!(report.latency_ms(0.99), 99.0);
        assert_eq!(report.latency_ms(1.0), 100.0);
        assert!(LoadReport::default().latency_ms(0.5).is_nan());
    }
}
