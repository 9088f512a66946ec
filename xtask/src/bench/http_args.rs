//! `cargo xtask bench [http]` arguments: which workers, how many rounds and connections, which
//! request; and the requests themselves.

use std::time::Duration;

use crate::Result;

pub(super) const USAGE: &str = "\
usage: cargo xtask bench [--worker KIND[,...]] [--rounds N] [--connections N]
                         [--duration SECS] [--warmup SECS] [--path /hello|/echo]
                         [--request simple|realistic]

  --worker LIST     workers to run, comma-separated, in this order each round (default rust):
                    rust = e2e-worker (release, the sync path), rust-async = serve_fn,
                    rust-axum = an axum Router through serve_service (both rr-benches),
                    rust-json = e2e-worker under rr v2023.3.12 (legacy JSON payloads),
                    floor = rr-benches' floor-worker (no decoding, a canned answer),
                    go = xtask/go-worker, php = php-worker.php (needs `php` on PATH)
  --rounds N        how many times to run the list, alternating (default 1, at most 10)
  --connections N   keep-alive connections, one thread each (default 8, at most 64)
  --duration SECS   measured window per run (default 10, at most 120)
  --warmup SECS     load before the window, not measured (default 2, at most 30)
  --path PATH       /hello (default) or /echo; only rust and rust-json serve /echo
  --request KIND    simple (default): Host, User-Agent and Accept, like curl; realistic: a
                    browser's 17 header lines with 4 cookies, and a 7-parameter query
";

/// The body `/hello` answers with, in every worker.
pub(super) const HELLO: &[u8] = b"Hello RoadRunner!";
/// The header lines of `--request simple`, like curl's.
const SIMPLE_HEADERS: &str = "User-Agent: rr-rs-xtask-bench/1\r\nAccept: */*\r\n";

/// The realistic request the criterion benchmarks decode too (`rr_benches`): its query on the
/// first line, then its header lines.
const REALISTIC_REQUEST: &str = include_str!("../../../benches/realistic-request.txt");

/// Workers in rr's pool.
pub(super) const NUM_WORKERS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WorkerKind {
    /// e2e-worker, the sync `serve_with_hints` path.
    Rust,
    /// rr-benches' hello-async: an async closure through `serve_fn`.
    RustAsync,
    /// rr-benches' hello-axum: an axum `Router` through `serve_service`.
    RustAxum,
    /// e2e-worker under rr v2023.3.12, which sends the legacy JSON payloads.
    RustJson,
    /// rr-benches' floor-worker: reads each frame and writes a canned answer, no decoding;
    /// the least any worker costs rr and the kernel.
    Floor,
    Go,
    Php,
}

impl WorkerKind {
    pub(super) fn parse(s: &str) -> Result<Self> {
        match s {
            "rust" => Ok(Self::Rust),
            "rust-async" => Ok(Self::RustAsync),
            "rust-axum" => Ok(Self::RustAxum),
            "rust-json" => Ok(Self::RustJson),
            "floor" => Ok(Self::Floor),
            "go" => Ok(Self::Go),
            "php" => Ok(Self::Php),
            other => Err(format!(
                "unknown worker `{other}` (rust, rust-async, rust-axum, rust-json, floor, go or php)\n\n{USAGE}"
            )),
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Rust => "rust",
            Self::RustAsync => "rust-async",
            Self::RustAxum => "rust-axum",
            Self::RustJson => "rust-json",
            Self::Floor => "floor",
            Self::Go => "go",
            Self::Php => "php",
        }
    }
}

#[derive(Debug)]
pub(super) struct Args {
    pub(super) workers: Vec<WorkerKind>,
    pub(super) rounds: u32,
    pub(super) connections: usize,
    pub(super) duration: Duration,
    pub(super) warmup: Duration,
    pub(super) path: String,
    pub(super) realistic: bool,
}

impl Args {
    /// Path and query of the requests.
    pub(super) fn target(&self) -> String {
        if self.realistic {
            let query = REALISTIC_REQUEST.lines().next().unwrap_or_default();
            format!("{}?{query}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Header lines after `Host`.
    pub(super) fn headers(&self) -> String {
        if self.realistic {
            REALISTIC_REQUEST
                .lines()
                .skip(1)
                .map(|h| format!("{h}\r\n"))
                .collect()
        } else {
            SIMPLE_HEADERS.to_owned()
        }
    }
}

pub(super) fn parse_args(args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args {
        workers: vec![WorkerKind::Rust],
        rounds: 1,
        connections: 8,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        path: "/hello".into(),
        realistic: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        if matches!(flag, "-h" | "--help") {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        let number = |v: String, min: u64, max: u64| -> Result<u64> {
            v.parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("{flag} {v}: expected a whole number in {min}..={max}"))
        };
        match flag {
            "--worker" | "--workers" => {
                parsed.workers = value()?
                    .split(',')
                    .map(WorkerKind::parse)
                    .collect::<Result<_>>()?;
            }
            "--rounds" => parsed.rounds = number(value()?, 1, 10)? as u32,
            "--connections" => parsed.connections = number(value()?, 1, 64)? as usize,
            "--duration" => parsed.duration = Duration::from_secs(number(value()?, 1, 120)?),
            "--warmup" => parsed.warmup = Duration::from_secs(number(value()?, 0, 30)?),
            "--path" => parsed.path = value()?,
            "--request" => {
                parsed.realistic = match value()?.as_str() {
                    "simple" => false,
                    "realistic" => true,
                    other => return Err(format!("--request {other}: simple or realistic")),
                }
            }
            other => return Err(format!("unknown flag {other}\n\n{USAGE}")),
        }
    }
    if !matches!(parsed.path.as_str(), "/hello" | "/echo") {
        return Err(format!("--path {}: /hello or /echo", parsed.path));
    }
    if parsed.path != "/hello"
        && parsed
            .workers
            .iter()
            .any(|&w| !matches!(w, WorkerKind::Rust | WorkerKind::RustJson))
    {
        return Err("the Go and PHP workers only serve /hello".into());
    }
    Ok(Some(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>> {
        parse_args(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_flags_and_bounds() {
        let a = args(&["--worker", "rust,go", "--rounds=2", "--connections", "4"])
            .unwrap()
            .unwrap();
        assert_eq!(a.workers, [WorkerKind::Rust, WorkerKind::Go]);
        assert_eq!((a.rounds, a.connections), (2, 4));
        assert_eq!(a.target(), "/hello");
        assert!(args(&["--connections", "0"]).is_err());
        assert!(args(&["--duration", "121"]).is_err());
        assert!(args(&["--worker", "java"]).is_err());
        assert!(args(&["--worker", "go", "--path", "/echo"]).is_err());
        assert!(args(&["--help"]).unwrap().is_none());
        let r = args(&["--request", "realistic"]).unwrap().unwrap();
        assert!(r.target().starts_with("/hello?q=running+shoes&"));
        assert_eq!(r.headers().matches("\r\n").count(), 17);
    }
}
