//! Release checks run by `cargo xtask test`: the crates package and build as published, each
//! library builds with no default features and with each feature alone, no code uses a
//! standard-library API newer than its crate's `rust-version`, and their documentation builds
//! without a warning (no broken intra-doc link).

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, paths};

mod msrv;

/// The crates published to crates.io, in dependency order.
pub(crate) const PUBLISHED: [&str; 7] = [
    "goridge",
    "rr-proto",
    "rr-worker",
    "rr-params",
    "rr-http",
    "rr-rpc",
    "rr-jobs",
];

/// The cargo-hack release installed when it is missing (from crates.io, into `target/tools`).
const CARGO_HACK_VERSION: &str = "0.6.46";

/// Runs every release check, in order of cost.
pub(crate) fn run() -> Result {
    msrv()?;
    docs()?;
    msrv::build(&PUBLISHED)?;
    publish_dry_run()?;
    feature_matrix()
}

fn cargo(what: &str, args: &[&str]) -> Result {
    eprintln!("xtask: {what}: cargo {}", args.join(" "));
    crate::cmd::run(
        Command::new(paths::cargo())
            .current_dir(paths::root())
            .args(args),
        what,
    )
}

/// `rust-version` honesty, first pass: clippy's `incompatible_msrv` lint flags any std item
/// stabilised after the `rust-version` of the crate using it, in every crate and target (the
/// test crates declare a newer version than the libraries). The published libraries are then
/// built with the declared toolchain itself (`msrv::build`).
fn msrv() -> Result {
    cargo(
        "MSRV (incompatible_msrv)",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "clippy::incompatible_msrv",
        ],
    )
}

/// The published crates' documentation, as docs.rs builds it (every feature), with every
/// rustdoc warning an error: a link that does not resolve is a page that lies.
fn docs() -> Result {
    let mut args = vec!["doc", "--no-deps", "--all-features", "--quiet"];
    for krate in PUBLISHED {
        args.extend(["-p", krate]);
    }
    eprintln!(
        "xtask: documentation: RUSTDOCFLAGS='-D warnings' cargo {}",
        args.join(" ")
    );
    crate::cmd::run(
        Command::new(paths::cargo())
            .current_dir(paths::root())
            .args(&args)
            .env("RUSTDOCFLAGS", "-D warnings"),
        "the documentation of the published crates",
    )
}

/// Packages every published crate and builds each from its package, the way crates.io will.
fn publish_dry_run() -> Result {
    forget_unpacked_packages();
    // Cargo treats registry packages as immutable and reuses their build output by version, so
    // the dry run builds in its own target directory, from which the output of our crates is
    // dropped first.
    let target = paths::target_dir().join("publish-check");
    forget_builds(&target);
    let args = [
        "publish",
        "--workspace",
        "--dry-run",
        "--allow-dirty",
        "--quiet",
    ];
    eprintln!("xtask: publish dry run: cargo {}", args.join(" "));
    crate::cmd::run(
        Command::new(paths::cargo())
            .current_dir(paths::root())
            .args(args)
            .env("CARGO_TARGET_DIR", &target),
        "publish dry run",
    )
}

/// Removes the fingerprints of our crates under `target`, so they are built again.
fn forget_builds(target: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(target.join("debug").join(".fingerprint")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ours(&name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `name` is `<one of PUBLISHED>-<version or hash>`.
fn is_ours(name: &str) -> bool {
    PUBLISHED
        .iter()
        .any(|c| name.strip_prefix(c).is_some_and(|v| v.starts_with('-')))
}

/// Cargo verifies a crate against the packages of its workspace dependencies through a local
/// registry, which it unpacks under `$CARGO_HOME/registry/src/-<hash>/` and never unpacks
/// again for the same version: after a code change without a version bump the verification
/// would build against stale sources. Those unpacked copies (only of our crates, only in the
/// local registries, whose directory names start with `-`) are removed first.
fn forget_unpacked_packages() {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry").join("src")) else {
        return;
    };
    let Ok(registries) = std::fs::read_dir(src) else {
        return;
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(unpacked) = std::fs::read_dir(registry.path()) else {
            continue;
        };
        for dir in unpacked.flatten() {
            if is_ours(&dir.file_name().to_string_lossy()) {
                let _ = std::fs::remove_dir_all(dir.path());
            }
        }
    }
}

/// Each published crate with no default features, with each feature alone and with the
/// defaults (cargo-hack's `--each-feature`).
fn feature_matrix() -> Result {
    let hack = cargo_hack()?;
    let mut args = vec!["hack", "check", "--each-feature", "--lib", "--quiet"];
    for package in PUBLISHED {
        args.extend(["-p", package]);
    }
    eprintln!("xtask: feature matrix: cargo {}", args.join(" "));
    crate::cmd::run(
        Command::new(&hack)
            .current_dir(paths::root())
            .args(&args)
            .env("CARGO", paths::cargo()),
        "feature matrix",
    )
}

/// The cargo-hack binary: on `PATH`, else in `target/tools`, else installed there from
/// crates.io (a one-time build of about a minute).
fn cargo_hack() -> Result<PathBuf> {
    let works = |bin: &PathBuf| {
        Command::new(bin)
            .args(["hack", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let on_path = PathBuf::from("cargo-hack");
    if works(&on_path) {
        return Ok(on_path);
    }
    let tools = paths::target_dir().join("tools");
    let local = tools.join("bin").join("cargo-hack");
    if works(&local) {
        return Ok(local);
    }
    let root = tools.to_string_lossy().into_owned();
    cargo(
        "installing cargo-hack",
        &[
            "install",
            "cargo-hack",
            "--locked",
            "--version",
            CARGO_HACK_VERSION,
            "--root",
            &root,
        ],
    )?;
    Ok(local)
}
