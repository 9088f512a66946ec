//! A small HTTP/1.1 client that shows what is on the wire: every informational response, the
//! exact status and headers, chunked bodies, and connections dropped on purpose.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A response as received.
#[derive(Debug, Clone, Default)]
pub struct HttpResponse {
    /// The final status.
    pub status: u16,
    /// Final headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
    /// Every 1xx response before the final one: status and headers.
    pub informational: Vec<(u16, Vec<(String, String)>)>,
    /// Whether the body came with chunked transfer encoding.
    pub chunked: bool,
    /// Trailer fields after a chunked body, names lower-cased, in order.
    pub trailers: Vec<(String, String)>,
    /// The size of each chunk of a chunked body, in order (rr flushes once per worker frame).
    pub chunk_sizes: Vec<usize>,
}

impl HttpResponse {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of header `name`.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The values of header `name` in informational response `index` (e.g. the 103's `link`s).
    pub fn informational_header_all(&self, index: usize, name: &str) -> Vec<&str> {
        self.informational[index]
            .1
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }
}

impl Request {
    /// `GET path`.
    pub fn get(path: &str) -> Self {
        Self::new("GET", path)
    }

    /// `POST path` with a body.
    pub fn post(path: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut r = Self::new("POST", path);
        r.body = body.into();
        r
    }

    /// `POST path` with a `multipart/form-data` body of `fields` and `files` (see
    /// [`multipart`]) and its `Content-Type`.
    pub fn post_multipart(
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Self {
        let (content_type, body) = multipart(fields, files);
        Self::post(path, body).header("Content-Type", &content_type)
    }

    /// Any method.
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.into(),
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request bytes.
    pub fn to_bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n",
            self.method, self.path
        );
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.body.is_empty() || self.method == "POST" || self.method == "PUT" {
            out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// Sends the request and reads the whole response.
    pub fn send(&self, addr: SocketAddr) -> HttpResponse {
        let stream = connect(addr);
        (&stream)
            .write_all(&self.to_bytes(addr))
            .expect("send request");
        let mut reader = BufReader::new(stream);
        read_response(&mut reader, self.method == "HEAD")
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect to rr");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream
}

/// Sends raw request bytes and returns the connection for the caller to read (or drop).
pub fn raw_exchange(addr: SocketAddr, request: &[u8]) -> BufReader<TcpStream> {
    let stream = connect(addr);
    (&stream).write_all(request).expect("send request");
    BufReader::new(stream)
}

fn read_head(reader: &mut impl BufRead) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (k, v) = l
            .split_once(':')
            .unwrap_or_else(|| panic!("bad header {l:?}"));
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    (status, headers)
}

/// Reads informational responses and then the final one.
pub fn read_response(reader: &mut impl BufRead, head_request: bool) -> HttpResponse {
    let mut res = HttpResponse::default();
    loop {
        let (status, headers) = read_head(reader);
        if (100..200).contains(&status) {
            res.informational.push((status, headers));
            continue;
        }
        res.status = status;
        res.headers = headers;
        break;
    }
    if head_request || res.status == 204 || res.status == 304 {
        return res;
    }
    if res
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        res.chunked = true;
        (res.body, res.chunk_sizes, res.trailers) = read_chunked(reader);
    } else if let Some(len) = res
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        res.body = vec![0; len];
        reader.read_exact(&mut res.body).expect("body");
    } else {
        reader.read_to_end(&mut res.body).expect("body");
    }
    res
}

/// A chunked body, its chunk sizes and its trailer fields.
fn read_chunked(reader: &mut impl BufRead) -> (Vec<u8>, Vec<usize>, Vec<(String, String)>) {
    let mut body = Vec::new();
    let mut sizes = Vec::new();
    let mut trailers = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("chunk size");
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .unwrap_or_else(|_| panic!("bad chunk size line {line:?}"));
        if size == 0 {
            // Trailers until the empty line.
            loop {
                line.clear();
                reader.read_line(&mut line).expect("trailer");
                if line.trim().is_empty() {
                    return (body, sizes, trailers);
                }
                let (name, value) = line.split_once(':').expect("a trailer field");
                trailers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        sizes.push(size);
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).expect("chunk");
        line.clear();
        reader.read_line(&mut line).expect("chunk end");
    }
}

/// A `multipart/form-data` body: returns the content type and the bytes.
///
/// `files` are `(field, file name, media type, content)`.
pub fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "rr-e2e-boundary-7d1f0a9c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (field, file_name, mime, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// FNV-1a 64 as hex: how the e2e worker reports bodies (it calls this same function), so
/// large bodies are compared without being sent back.
pub fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Runs curl (for HTTP/2 and for large downloads) and returns its stdout.
pub fn curl(args: &[&str]) -> String {
    let out = std::process::Command::new("curl")
        .args(["-sS", "--max-time", "120"])
        .args(args)
        .output()
        .expect("curl must be installed for these tests (apt-get install curl)");
    assert!(
        out.status.success(),
        "curl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
