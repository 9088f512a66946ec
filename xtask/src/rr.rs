//! `cargo xtask rr`: build the RoadRunner server we test against, once, from our own Go module.
//!
//! `go install github.com/roadrunner-server/roadrunner/v2025/cmd/rr@…` does not work (the release
//! go.mod has `exclude` directives), so `xtask/rr-server/` is a small Go module of ours that
//! embeds the RoadRunner plugins of v2025.1.15, pinned by its go.sum. The binary is cached under
//! `target/rr/<variant>-<hash>/rr`, the hash covering the module's files and the Go version, so
//! it is rebuilt only when one of them changes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, paths};

/// Which server to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// RoadRunner v2025.1.15 (http plugin v5.3.0, protobuf payloads).
    Current,
    /// RoadRunner v2023.3.12 (http plugin v4.5.3, legacy JSON payloads).
    Legacy,
}

impl Variant {
    fn dir(self) -> &'static str {
        match self {
            Self::Current => "rr-server",
            Self::Legacy => "rr-server-2023",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Current => "v2025.1.15",
            Self::Legacy => "v2023.3.12",
        }
    }

    /// The environment variable the tests read the binary's path from.
    pub(crate) fn env_var(self) -> &'static str {
        match self {
            Self::Current => "RR_BINARY",
            Self::Legacy => "RR_BINARY_2023",
        }
    }
}

pub(crate) fn run(args: &[String]) -> Result {
    let mut variant = Variant::Current;
    let mut print = false;
    for arg in args {
        match arg.as_str() {
            "--legacy" => variant = Variant::Legacy,
            "--print-path" => print = true,
            other => {
                return Err(format!(
                    "unknown flag {other}; usage: cargo xtask rr [--legacy] [--print-path]"
                ));
            }
        }
    }
    let path = ensure(variant)?;
    if print {
        println!("{}", path.display());
    } else {
        eprintln!("xtask: rr {} is at {}", variant.name(), path.display());
    }
    Ok(())
}

/// Returns the path of the built server, building it first when the cache has none.
pub(crate) fn ensure(variant: Variant) -> Result<PathBuf> {
    let src = paths::root().join("xtask").join(variant.dir());
    let go_version = go_version()?;
    let key = cache_key(&src, &go_version)?;
    let dir = paths::target_dir()
        .join("rr")
        .join(format!("{}-{key:016x}", variant.dir()));
    let bin = dir.join("rr");
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!(
        "xtask: building RoadRunner {} from {} with {go_version} (first time only; needs the Go module proxy)",
        variant.name(),
        src.display()
    );
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dir.join(format!("rr.tmp{}", std::process::id()));
    let started = std::time::Instant::now();
    if let Err(e) = go_build(&src, &tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, &bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    eprintln!(
        "xtask: built {} in {:.0?}",
        bin.display(),
        started.elapsed()
    );
    Ok(bin)
}

/// `go build` of the module in `src` into `out`, with go.mod and go.sum as they are.
pub(crate) fn go_build(src: &Path, out: &Path) -> Result {
    let status = Command::new("go")
        .current_dir(src)
        .args(["build", "-trimpath", "-o"])
        .arg(out)
        .arg(".")
        // Fail instead of silently changing go.mod/go.sum: the versions are pinned.
        .env("GOFLAGS", "-mod=readonly")
        .status()
        .map_err(|e| format!("cannot run `go build` (is Go installed?): {e}"))?;
    if !status.success() {
        return Err(format!("`go build` of {} failed ({status})", src.display()));
    }
    Ok(())
}

/// `go version` output, or an error that says how to get Go.
fn go_version() -> Result<String> {
    let out = Command::new("go").arg("version").output().map_err(|e| {
        format!(
            "Go not found ({e}): install Go >= 1.25 (https://go.dev/dl/) and put `go` on PATH; \
             it is needed to build the RoadRunner server the tests run against"
        )
    })?;
    if !out.status.success() {
        return Err("`go version` failed: is the Go installation broken?".into());
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    // "go version go1.26.8 linux/amd64"
    let minor = text
        .split_whitespace()
        .nth(2)
        .and_then(|v| v.strip_prefix("go1."))
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok());
    match minor {
        Some(m) if m >= 25 => Ok(text),
        _ => Err(format!(
            "{text}: Go >= 1.25 is needed to build RoadRunner v2025.1.15"
        )),
    }
}

/// FNV-1a over the module's Go files, go.mod, go.sum and the Go version.
fn cache_key(src: &Path, go_version: &str) -> Result<u64> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(go_version.as_bytes());
    let mut names: Vec<String> = fs::read_dir(src)
        .map_err(|e| format!("{}: {e}", src.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n == "go.mod" || n == "go.sum" || n.ends_with(".go"))
        .collect();
    names.sort();
    for name in names {
        let path = src.join(&name);
        let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        feed(name.as_bytes());
        feed(&bytes);
    }
    Ok(hash)
}
