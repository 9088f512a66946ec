//! `cargo xtask demo [NAME] [--addr HOST:PORT]`: serve one of the workers of `examples/` through
//! the real RoadRunner server, in the foreground, until Ctrl-C.
//!
//! It builds rr (cached, see [`crate::rr`]) and the example in release mode, writes a
//! `.rr.yaml` into `target/demo/NAME/` and runs `rr -c .rr.yaml serve` there. On Unix the task
//! turns into rr itself (`exec`), so Ctrl-C reaches rr alone, rr stops its workers gracefully, and
//! rr's exit status is the task's.

use std::fs;
use std::net::{TcpListener, ToSocketAddrs};
use std::path::Path;
use std::process::Command;

use crate::rr::{self, Variant};
use crate::{Result, paths};

/// The default `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

const USAGE: &str = "usage: cargo xtask demo [NAME] [--addr HOST:PORT]";

/// One binary of `examples/src/bin/`.
struct Example {
    name: &'static str,
    /// What it shows, one line.
    what: &'static str,
    /// Commands to try it; `{addr}` is replaced by the address served.
    try_it: &'static [&'static str],
}

const EXAMPLES: &[Example] = &[
    Example {
        name: "hello",
        what: "the five-line hello world",
        try_it: &["curl http://{addr}/"],
    },
    Example {
        name: "echo",
        what: "everything the client sent, as JSON",
        try_it: &[
            "curl -g -b 'sid=42' -d 'user[name]=ann&tags[]=x' 'http://{addr}/path?a[]=1&a[]=2&b[c]=3'",
        ],
    },
    Example {
        name: "streaming",
        what: "bodies from an iterator, a reader and a channel (server-sent events)",
        try_it: &[
            "curl -N http://{addr}/sse",
            "curl http://{addr}/numbers?count=5",
            "curl -o /dev/null -w '%{size_download}\\n' http://{addr}/big?mb=100",
        ],
    },
    Example {
        name: "early_hints",
        what: "103 Early Hints with two Link headers, then the page",
        try_it: &["curl -i http://{addr}/"],
    },
    Example {
        name: "uploads",
        what: "uploaded files moved out of rr's temp dir",
        try_it: &[
            "open http://{addr}/ in a browser",
            "curl -F 'doc=@Cargo.toml' -F 'more[]=@README.md' http://{addr}/",
        ],
    },
    Example {
        name: "async_fn",
        what: "an async closure with serve_fn (timers, spawned tasks, early hints, streaming)",
        try_it: &["curl -i http://{addr}/slow", "curl -i http://{addr}/page"],
    },
    Example {
        name: "axum",
        what: "an axum Router served unchanged (extractors, JSON, SSE, rr extensions)",
        try_it: &[
            "curl 'http://{addr}/hello?name=rr'",
            "curl -N 'http://{addr}/sse?count=3'",
        ],
    },
    Example {
        name: "jobs",
        what: "an HTTP worker pushing one job per request to a jobs worker (memory driver)",
        try_it: &["curl 'http://{addr}/?name=ann'"],
    },
];

pub(crate) fn run(args: &[String]) -> Result {
    let Some((name, addr)) = parse_args(args)? else {
        println!("{USAGE}\n\nexamples (default hello, on {DEFAULT_ADDR}):");
        for e in EXAMPLES {
            println!("  {:<12} {}", e.name, e.what);
        }
        return Ok(());
    };
    let example = EXAMPLES
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| format!("unknown example `{name}`; the examples are: {}", names()))?;
    // Fail before spending a minute on builds; checked again right before rr starts.
    ensure_free(example.name, &addr)?;

    let rr = rr::ensure(Variant::Current)?;
    let dir = paths::target_dir().join("demo").join(example.name);
    let saved = dir.join("saved");
    let yaml = if example.name == "jobs" {
        let producer = paths::build_release("rr-examples", "jobs_producer")?;
        let consumer = paths::build_release("rr-examples", "jobs_consumer")?;
        jobs_config(&producer, &consumer, &addr)?
    } else {
        let worker = paths::build_release("rr-examples", example.name)?;
        config(example, &worker, &addr, &dir)
    };
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if example.name == "uploads" {
        for sub in [dir.join("rr-tmp"), saved.clone()] {
            fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
        }
    }
    let config_path = dir.join(".rr.yaml");
    fs::write(&config_path, yaml).map_err(|e| format!("{}: {e}", config_path.display()))?;

    eprintln!(
        "\nxtask: serving examples/src/bin/{}.rs ({}) through RoadRunner on http://{addr}/",
        example.name, example.what
    );
    eprintln!("xtask: config {}", config_path.display());
    if example.name == "uploads" {
        eprintln!("xtask: uploaded files are saved in {}", saved.display());
    }
    for line in example.try_it {
        eprintln!("xtask: try  {}", line.replace("{addr}", &addr));
    }
    eprintln!("xtask: stop with Ctrl-C\n");

    ensure_free(example.name, &addr)?;
    let mut cmd = Command::new(&rr);
    cmd.current_dir(&dir).args(["-c", ".rr.yaml", "serve"]);
    run_foreground(cmd, &rr)
}

/// The example's name and the address; `None` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<(String, String)>> {
    let mut name = None;
    let mut addr = DEFAULT_ADDR.to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => {
                addr = args
                    .next()
                    .ok_or_else(|| format!("--addr needs HOST:PORT\n{USAGE}"))?
                    .clone();
            }
            "-h" | "--help" => return Ok(None),
            other if other.starts_with("--addr=") => addr = other["--addr=".len()..].to_owned(),
            other if other.starts_with('-') => {
                return Err(format!("unknown flag {other}\n{USAGE}"));
            }
            other if name.is_none() => name = Some(other.to_owned()),
            other => return Err(format!("unexpected argument {other}\n{USAGE}")),
        }
    }
    Ok(Some((name.unwrap_or_else(|| "hello".to_owned()), addr)))
}

fn names() -> String {
    EXAMPLES
        .iter()
        .map(|e| e.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds `addr` once: rr would fail later with a less helpful message, and RoadRunner's
/// `SO_REUSEPORT` listeners would even share the port with a leftover server silently.
fn ensure_free(name: &str, addr: &str) -> Result {
    let resolved = addr
        .to_socket_addrs()
        .map_err(|e| format!("--addr {addr}: not a HOST:PORT address ({e})"))?
        .next()
        .ok_or_else(|| format!("--addr {addr}: resolves to no address"))?;
    match TcpListener::bind(resolved) {
        Ok(listener) => {
            drop(listener);
            Ok(())
        }
        Err(e) => Err(format!(
            "cannot listen on {addr}: {e}. Is another demo or rr still running there? \
             Stop it, or pick another address, e.g. `cargo xtask demo {name} --addr 127.0.0.1:8081`"
        )),
    }
}

/// The `.rr.yaml` of one demo.
fn config(example: &Example, worker: &Path, addr: &str, dir: &Path) -> String {
    let mut env = String::new();
    let mut uploads = String::new();
    if example.name == "uploads" {
        // rr's own temp files and the example's destination, both inside the demo directory.
        env = format!(
            "  env:\n    UPLOAD_DIR: {}\n",
            quote(&dir.join("saved").display().to_string())
        );
        uploads = format!(
            "  uploads:\n    dir: {}\n",
            quote(&dir.join("rr-tmp").display().to_string())
        );
    }
    format!(
        "# Written by `cargo xtask demo {name}`; rewritten on every run.\n\
         version: \"3\"\n\
         server:\n  command: [{command}]\n  relay: pipes\n{env}\
         http:\n  address: {addr}\n{uploads}  pool:\n    num_workers: 2\n\
         logs:\n  mode: development\n  level: info\n",
        name = example.name,
        command = quote(&worker.display().to_string()),
        addr = quote(addr),
    )
}

/// The `.rr.yaml` of `demo jobs`: the HTTP worker `jobs_producer` in `server.command`, the
/// jobs worker `jobs_consumer` in `jobs.pool.command`, one memory pipeline `demo`, a memory KV
/// storage `local` the two share, and rr's RPC on a free port of 127.0.0.1.
fn jobs_config(producer: &Path, consumer: &Path, addr: &str) -> Result<String> {
    let rpc = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port for rr's RPC: {e}"))?;
    Ok(format!(
        "# Written by `cargo xtask demo jobs`; rewritten on every run.\n\
         version: \"3\"\n\
         rpc:\n  listen: {rpc}\n\
         server:\n  command: [{producer}]\n  relay: pipes\n\
         http:\n  address: {addr}\n  pool:\n    num_workers: 2\n\
         kv:\n  local:\n    driver: memory\n    config: {{}}\n\
         jobs:\n  consume: [\"demo\"]\n  pool:\n    command: [{consumer}]\n    num_workers: 2\n\
         \x20 pipelines:\n    demo:\n      driver: memory\n      config:\n        priority: 10\n\
         logs:\n  mode: development\n  level: info\n",
        rpc = quote(&format!("tcp://{rpc}")),
        producer = quote(&producer.display().to_string()),
        consumer = quote(&consumer.display().to_string()),
        addr = quote(addr),
    ))
}

/// A YAML double-quoted scalar (its escapes agree with Rust's for paths and addresses).
fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// Runs rr with inherited stdio until it exits; on Unix by turning this process into rr.
#[cfg(unix)]
fn run_foreground(mut cmd: Command, rr: &Path) -> Result {
    use std::os::unix::process::CommandExt;
    // Only returns on failure.
    let err = cmd.exec();
    Err(format!("cannot start {}: {err}", rr.display()))
}

#[cfg(not(unix))]
fn run_foreground(mut cmd: Command, rr: &Path) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {}: {e}", rr.display()))?;
    std::process::exit(status.code().unwrap_or(1))
}
