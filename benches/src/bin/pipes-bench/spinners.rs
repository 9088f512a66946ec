//! `--busy-cpus`: one spinning process per CPU at the lowest scheduling class (`SCHED_IDLE`,
//! through util-linux's `chrt`) for the length of the run.
//!
//! With idle CPUs, every round trip wakes a sleeping core on each side, and on a virtual machine
//! that wake-up (a halted vCPU, an interrupt to inject) costs more than the work, so every
//! worker measures alike. Spinners keep the cores awake without taking time from the worker or
//! the driver (the scheduler runs `SCHED_IDLE` tasks only when nothing else wants the core and
//! preempts them at once), which is how the CPUs of a loaded server look: the round trips then
//! show what each worker itself costs.

use std::process::{Child, Command, Stdio};

/// The spinning processes; they are killed when this is dropped.
pub(crate) struct Spinners(Vec<Child>);

impl Spinners {
    /// Starts one spinner per CPU this process may run on.
    pub(crate) fn start() -> Result<Self, String> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut spinners = Self(Vec::with_capacity(cpus));
        for _ in 0..cpus {
            let child = Command::new("chrt")
                .args(["--idle", "0", "sh", "-c", "while :; do :; done"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .spawn()
                .map_err(|e| format!("--busy-cpus needs `chrt` (util-linux): {e}"))?;
            spinners.0.push(child);
        }
        Ok(spinners)
    }

    /// How many spinners run.
    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }
}

impl Drop for Spinners {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
