//! `cargo xtask bench stream`: large bodies through the real rr and one Rust worker.
//!
//! Downloads of `/stream?size=N` (`rr-benches`' `stream-worker` streams a copied block with
//! `Body::reader`) of
//! 64 KiB and 1 MiB, repeated for a window, and one of 1 GiB; uploads (`POST /hello` with a body
//! of 1 MiB, repeated, and one of 100 MiB). Per row: MiB/s, the worker's and rr's CPU per MiB
//! (`utime + stime`), and the worker's peak RSS. The client reads chunked bodies as they come
//! and keeps none of them, so its own memory does not grow with the size.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::Result;
use crate::rr::{self, Variant};

use super::server::{self, RrProcess};

const MIB: u64 = 1024 * 1024;

/// One row: what is sent or fetched, how often.
struct Case {
    name: &'static str,
    /// Download size (`/stream?size=`), or upload size when `upload`.
    size: u64,
    upload: bool,
    /// Repeat for this long (at least once).
    window: Duration,
}

/// Runs the streaming rows; `--quick` shrinks the big ones to seconds.
pub(crate) fn run(args: &[String]) -> Result {
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(other) = args.iter().find(|a| *a != "--quick") {
        return Err(format!(
            "usage: cargo xtask bench stream [--quick] (unknown {other})"
        ));
    }
    let window = Duration::from_millis(if quick { 300 } else { 3000 });
    let big = if quick { 64 * MIB } else { 1024 * MIB };
    let big_up = if quick { 8 * MIB } else { 100 * MIB };
    let cases = [
        Case {
            name: "download 64 KiB",
            size: 64 * 1024,
            upload: false,
            window,
        },
        Case {
            name: "download 1 MiB",
            size: MIB,
            upload: false,
            window,
        },
        Case {
            name: "download (big)",
            size: big,
            upload: false,
            window: Duration::ZERO,
        },
        Case {
            name: "upload 1 MiB",
            size: MIB,
            upload: true,
            window,
        },
        Case {
            name: "upload (big)",
            size: big_up,
            upload: true,
            window: Duration::ZERO,
        },
    ];
    let rr_bin = rr::ensure(Variant::Current)?;
    let command = crate::paths::build_release("rr-benches", "stream-worker")?
        .display()
        .to_string();
    let addr = server::free_addr()?;
    let dir = crate::paths::target_dir().join("bench").join("stream");
    let mut rr = RrProcess::start(&rr_bin, &dir, &server::config(&command, addr, 1), addr)?;
    fetch(addr, "/hello", 0)?;
    rr.find_workers(1)?;
    let ticks = server::ticks_per_sec() as f64;
    println!("\nLarge bodies through rr (1 worker, pipes relay)\n");
    println!(
        "| case | bytes per request | requests | MiB/s | worker CPU ms/MiB | rr CPU ms/MiB | worker ÷ rr CPU | worker peak RSS MiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let worker = rr.workers[0];
    for case in &cases {
        let (w0, r0) = (server::cpu_ticks(worker), server::cpu_ticks(rr.pid()));
        let started = Instant::now();
        let mut requests = 0u64;
        while requests == 0 || started.elapsed() < case.window {
            let got = if case.upload {
                fetch(addr, "/hello", case.size)?
            } else {
                fetch(addr, &format!("/stream?size={}", case.size), 0)?
            };
            let want = if case.upload { 17 } else { case.size };
            if got != want {
                return Err(format!("{}: {got} bytes instead of {want}", case.name));
            }
            requests += 1;
        }
        let secs = started.elapsed().as_secs_f64();
        let mib = (case.size * requests) as f64 / MIB as f64;
        let cpu_ms = |t: u64| t as f64 * 1e3 / ticks / mib;
        let (w, r) = (
            server::cpu_ticks(worker) - w0,
            server::cpu_ticks(rr.pid()) - r0,
        );
        println!(
            "| {} | {} | {requests} | {:.0} | {:.3} | {:.3} | {:.1} % | {:.1} |",
            case.name,
            case.size,
            mib / secs,
            cpu_ms(w),
            cpu_ms(r),
            w as f64 * 100.0 / r.max(1) as f64,
            server::peak_rss_kib(worker) as f64 / 1024.0
        );
    }
    rr.stop()
}

/// One request on its own connection; returns the response body's length. With `upload`
/// bytes, a POST carrying that many bytes.
fn fetch(addr: SocketAddr, path: &str, upload: u64) -> Result<u64> {
    let io = |e: std::io::Error| format!("{path}: {e}");
    let mut stream = TcpStream::connect(addr).map_err(io)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(io)?;
    let method = if upload > 0 { "POST" } else { "GET" };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {upload}\r\nConnection: close\r\n\r\n"
    )
    .map_err(io)?;
    let block = vec![b'x'; 64 * 1024];
    let mut left = upload;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        stream.write_all(&block[..n]).map_err(io)?;
        left -= n as u64;
    }
    let mut reader = BufReader::with_capacity(256 * 1024, stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(io)?;
    if !line.starts_with("HTTP/1.1 200") {
        return Err(format!("{path}: {}", line.trim_end()));
    }
    let (mut chunked, mut length) = (false, None);
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(io)?;
        let l = line.trim_end().to_ascii_lowercase();
        if l.is_empty() {
            break;
        }
        chunked |= l == "transfer-encoding: chunked";
        if let Some(v) = l.strip_prefix("content-length:") {
            length = v.trim().parse::<u64>().ok();
        }
    }
    if !chunked {
        let want = length.ok_or(format!("{path}: neither chunked nor a length"))?;
        return std::io::copy(&mut reader.take(want), &mut std::io::sink()).map_err(io);
    }
    let mut total = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(io)?;
        let size = u64::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
            .map_err(|_| format!("{path}: bad chunk size {line:?}"))?;
        if size == 0 {
            return Ok(total);
        }
        let copied =
            std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink()).map_err(io)?;
        if copied != size {
            return Err(format!("{path}: body cut after {} bytes", total + copied));
        }
        total += size;
        line.clear();
        reader.read_line(&mut line).map_err(io)?;
    }
}
