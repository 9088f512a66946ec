//! Running a child process to completion, its exit status turned into a `Result`.

use std::process::Command;

/// Runs `command` and waits for it; `what` names it in the errors ("cannot run …", "… failed").
pub(crate) fn run(command: &mut Command, what: &str) -> crate::Result {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
