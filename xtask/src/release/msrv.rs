//! The minimum supported Rust version, proven by building with it: the published crates are
//! checked (all features, library targets) with the toolchain named by the workspace's
//! `rust-version`, which rustup installs (minimal profile) when it is missing.

use std::process::Command;

use crate::{Result, paths};

/// Checks every published crate with the workspace's declared minimum toolchain.
pub(super) fn build(published: &[&str]) -> Result {
    let version = declared()?;
    let toolchain = format!("{version}.0");
    ensure_toolchain(&toolchain)?;
    let mut args = vec![
        "run",
        &toolchain,
        "cargo",
        "check",
        "--lib",
        "--all-features",
    ];
    args.push("--quiet");
    for package in published {
        args.extend(["-p", package]);
    }
    eprintln!("xtask: MSRV build: rustup {}", args.join(" "));
    let status = rustup()
        .args(&args)
        .env("CARGO_TARGET_DIR", paths::target_dir().join("msrv"))
        .status()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the published crates do not build with Rust {toolchain}, their declared \
             rust-version ({status})"
        ))
    }
}

/// `rustup` with the variables of the running toolchain removed, so the one named on its
/// command line is the one that runs.
fn rustup() -> Command {
    let mut command = Command::new("rustup");
    command.current_dir(paths::root());
    for var in [
        "RUSTUP_TOOLCHAIN",
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTC_WRAPPER",
    ] {
        command.env_remove(var);
    }
    command
}

/// Installs `toolchain` through rustup unless it is there already.
fn ensure_toolchain(toolchain: &str) -> Result {
    let present = rustup()
        .args(["run", toolchain, "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: installing Rust {toolchain} (minimal profile) to check the MSRV");
    let status = rustup()
        .args(["toolchain", "install", toolchain, "--profile", "minimal"])
        .status()
        .map_err(|e| format!("cannot run rustup (needed to check the MSRV): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "rustup could not install Rust {toolchain} ({status})"
        ))
    }
}

/// The `rust-version` of the root manifest's `[workspace.package]`, e.g. `1.85`.
fn declared() -> Result<String> {
    let manifest = std::fs::read_to_string(paths::root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    parse_declared(&manifest).ok_or_else(|| "no rust-version in Cargo.toml".to_owned())
}

fn parse_declared(manifest: &str) -> Option<String> {
    let line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("rust-version"))?;
    let value = line.split_once('=')?.1.trim().trim_matches('"');
    let parts: Vec<&str> = value.split('.').collect();
    let numeric = |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (parts.len() == 2 && parts.iter().all(numeric)).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_declared;

    #[test]
    fn the_declared_version_is_read_from_the_manifest() {
        let manifest = "[workspace.package]\nedition = \"2024\"\nrust-version = \"1.85\"\n";
        assert_eq!(parse_declared(manifest).as_deref(), Some("1.85"));
    }

    #[test]
    fn a_missing_or_odd_version_is_not_guessed() {
        assert_eq!(parse_declared("[package]\nname = \"x\"\n"), None);
        assert_eq!(parse_declared("rust-version = \"1.85.1\"\n"), None);
        assert_eq!(parse_declared("rust-version = \"latest\"\n"), None);
    }
}
