//! A worker whose environment holds a variable that is not UTF-8 (any variable, not only
//! RoadRunner's) still starts: only `RR_*` variables are read, and only they can fail.
//!
//! The test runs itself as a child process with such a variable, because a process cannot
//! change its own environment without `unsafe`.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use rr_worker::{Environment, Worker};

/// Set in the child's environment; the parent never sets it.
const CHILD: &str = "RR_RS_TEST_ENV_CHILD";

fn not_utf8() -> &'static OsStr {
    OsStr::from_bytes(b"caf\xe9-latin1")
}

/// Runs `test` of this file in a child process with `vars` added to its environment; returns
/// whether it passed and what it printed.
fn run_child(test: &str, vars: &[(&str, &OsStr)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env_remove("RR_RELAY");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the test binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && text.contains("1 passed"), text)
}

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

#[test]
fn child_reads_the_environment_and_connects() {
    if !in_child() {
        return; // only meaningful in the child started below
    }
    let env = Environment::from_env().expect("a foreign variable that is not UTF-8 is ignored");
    assert_eq!(env.mode.as_deref(), Some("http"));
    // Pipes: the handshake goes to stdout; connecting must not fail either.
    Worker::from_env().expect("Worker::from_env");
}

#[test]
fn child_reports_its_own_variable_when_not_utf8() {
    if !in_child() {
        return;
    }
    let err = Environment::from_env().unwrap_err();
    assert!(err.to_string().contains("RR_RPC"), "{err}");
}

#[test]
fn a_foreign_variable_that_is_not_utf8_is_ignored() {
    let (ok, out) = run_child(
        "child_reads_the_environment_and_connects",
        &[
            ("LC_LEGACY_NAME", not_utf8()),
            ("RR_MODE", OsStr::new("http")),
        ],
    );
    assert!(ok, "the worker must start:\n{out}");
}

#[test]
fn an_rr_variable_that_is_not_utf8_is_a_typed_error() {
    let (ok, out) = run_child(
        "child_reports_its_own_variable_when_not_utf8",
        &[("RR_RPC", not_utf8())],
    );
    assert!(ok, "a typed error, not a panic:\n{out}");
}
