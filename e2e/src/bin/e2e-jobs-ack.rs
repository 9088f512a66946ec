//! The smallest jobs worker: acknowledges every task. `cargo xtask bench jobs` measures it
//! (built in release mode) against the Go consumer of `xtask/go-jobs-worker`.

fn main() -> Result<(), rr_jobs::JobsError> {
    rr_jobs::serve(|task: &rr_jobs::Task| {
        if task.id().is_empty() {
            return Err("a task without an id");
        }
        Ok(())
    })
}
