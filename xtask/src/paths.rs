//! Where things are in the workspace.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// The `cargo` that runs us (so `cargo +toolchain xtask` stays on that toolchain).
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `cargo build --release -p package --bin bin`; returns the binary's absolute path.
pub(crate) fn build_release(package: &str, bin: &str) -> crate::Result<PathBuf> {
    build_release_for(package, bin, None)
}

/// [`build_release`] for another target triple (`--target`), e.g. a static musl build.
pub(crate) fn build_release_for(
    package: &str,
    bin: &str,
    target: Option<&str>,
) -> crate::Result<PathBuf> {
    eprintln!(
        "xtask: building {bin} (release{})",
        target.map_or(String::new(), |t| format!(", {t}"))
    );
    let mut args = vec!["build", "--release", "-p", package, "--bin", bin];
    if let Some(target) = target {
        args.extend(["--target", target]);
    }
    let status = std::process::Command::new(cargo())
        .current_dir(root())
        .args(&args)
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err(format!("building {bin} failed ({status})"));
    }
    let dir = match target {
        Some(target) => target_dir().join(target),
        None => target_dir(),
    };
    let path = dir
        .join("release")
        .join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        return Err(format!(
            "cargo built {bin}, but {} is not there (is a build target set in cargo's config?)",
            path.display()
        ));
    }
    Ok(path)
}
