//! [`StopSignals`]: graceful SIGTERM and SIGINT for a worker process.
//!
//! RoadRunner starts its workers in their own process group, so a terminal's Ctrl-C or a
//! signal to rr alone never reaches them; a signal to the whole group or cgroup does (systemd
//! stopping a unit, a container stop, `kill -TERM -- -PGID`). Without a handler the worker dies
//! at once and cuts the response it is sending short. With one:
//!
//! * idle (blocked reading the next request from the relay): the worker exits with status 0
//!   right away: nothing is in flight;
//! * busy: the request in flight is finished; a streamed response gets a bounded grace and is
//!   then ended cleanly. Then the worker waits a moment for the server's stop (RoadRunner,
//!   stopping too, sends one within about a second), answers any request that arrives
//!   meanwhile by asking to be replaced (rr gives it to another worker), and exits with
//!   status 0;
//! * a second signal: exits at once, with status 128 + the signal number.
//!
//! A blocking `read()` on the relay is not interrupted by a signal (the handler is installed
//! with `SA_RESTART`), so a watcher thread decides: when the worker is idle it ends the
//! process itself; otherwise it records the request, which the worker loop sees when the
//! request in flight is done.

use std::io;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// No request is in flight: a signal ends the process at once.
const IDLE: u8 = 0;
/// A request is being answered: a signal is honoured once it is done.
const BUSY: u8 = 1;
/// A signal arrived while idle: the watcher is ending the process.
const EXITING: u8 = 2;

/// SIGTERM and SIGINT handling for a worker: finish what is in flight, then stop.
///
/// [`Worker::from_env`](crate::Worker::from_env) and [`Worker::connect`](crate::Worker::connect)
/// install it, so every loop over [`Worker::wait_payload`](crate::Worker::wait_payload) (the
/// HTTP worker, a jobs consumer) stops gracefully: after a signal, `wait_payload` returns
/// `Ok(None)` once the payload in flight is answered, and the program returns from `main`
/// with status 0. A worker built with [`Worker::new`](crate::Worker::new) gets it with
/// [`Worker::with_stop_signals`](crate::Worker::with_stop_signals).
///
/// A program that does work of its own between payloads can ask [`is_requested`](Self::is_requested)
/// and mark that work with [`enter_busy`](Self::enter_busy) / [`enter_idle`](Self::enter_idle).
///
/// ```no_run
/// let signals = rr_worker::StopSignals::install()?;
/// // …later, between two pieces of work:
/// if signals.is_requested() {
///     return Ok(()); // exit 0
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StopSignals {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: AtomicU8,
    /// When the first signal arrived.
    requested_at: OnceLock<Instant>,
    /// The origin of [`Shared::clock`].
    created: Instant,
    /// While lingering: the clock when the worker was first seen idle, 0 when busy.
    idle_since: AtomicU64,
    /// Called with the exit status right before the watcher ends the process.
    on_exit: OnceLock<ExitHook>,
}

/// A user's last words before the watcher ends the process.
struct ExitHook(Box<dyn Fn(i32) + Send + Sync>);

impl std::fmt::Debug for ExitHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExitHook")
    }
}

/// What the watcher does with one signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Nothing in flight, or a second signal: end the process with this status.
    Exit(i32),
    /// Recorded; the worker stops when the request in flight is done.
    Defer,
}

impl StopSignals {
    /// Registers handlers for SIGTERM and SIGINT and starts the thread that watches for them.
    /// Calling it again installs a second, independent watcher; one per process is enough.
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::install()?;
    /// assert!(!signals.is_requested());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the handlers cannot be registered or the thread cannot start.
    pub fn install() -> io::Result<Self> {
        let this = Self::unregistered();
        let mut signals = Signals::new([SIGTERM, SIGINT])?;
        let shared = Arc::clone(&this.shared);
        std::thread::Builder::new()
            .name("rr-worker-signals".into())
            .spawn(move || {
                let mut lingering = false;
                loop {
                    // While lingering, look for a second signal between checks of the state.
                    let pending: Vec<i32> = if lingering {
                        signals.pending().collect()
                    } else {
                        signals.wait().collect()
                    };
                    for signal in pending {
                        if let Action::Exit(code) = shared.on_signal(signal) {
                            let name = if signal == SIGINT { "SIGINT" } else { "SIGTERM" };
                            shared.exit(&format!("{name}, exiting with status {code}"), code);
                        }
                        crate::log!(
                            "rr-worker: stop signal while busy: finishing the request in flight, then exiting"
                        );
                        lingering = true;
                    }
                    if lingering {
                        shared.linger_step();
                    }
                }
            })?;
        Ok(this)
    }

    /// A handle that no signal reaches, for tests and for programs that watch signals
    /// themselves and call [`request`](Self::request).
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::unregistered();
    /// signals.request();
    /// assert!(signals.is_requested());
    /// ```
    pub fn unregistered() -> Self {
        Self {
            shared: Arc::new(Shared {
                state: AtomicU8::new(IDLE),
                requested_at: OnceLock::new(),
                created: Instant::now(),
                idle_since: AtomicU64::new(0),
                on_exit: OnceLock::new(),
            }),
        }
    }

    /// Records a stop as a signal would, without ending the process (even when idle).
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::unregistered();
    /// assert!(signals.requested_at().is_none());
    /// signals.request();
    /// assert!(signals.requested_at().is_some());
    /// ```
    pub fn request(&self) {
        let _ = self.shared.requested_at.set(Instant::now());
    }

    /// `true` once a stop signal arrived.
    ///
    /// ```
    /// assert!(!rr_worker::StopSignals::unregistered().is_requested());
    /// ```
    pub fn is_requested(&self) -> bool {
        self.shared.requested_at.get().is_some()
    }

    /// Runs `hook` with the exit status right before a signal ends the process from the
    /// watcher thread (when idle, after the linger, or on a second signal): the place to flush
    /// what must not be lost. When the worker loop ends by itself instead (the server's stop),
    /// `main` returns as usual and the hook is not called. Only the first hook set is kept.
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::unregistered();
    /// signals.on_exit(|status| rr_worker::log!("leaving with status {status}"));
    /// ```
    pub fn on_exit(&self, hook: impl Fn(i32) + Send + Sync + 'static) {
        let _ = self.shared.on_exit.set(ExitHook(Box::new(hook)));
    }

    /// When the first stop signal arrived; a streamed response's grace counts from here.
    ///
    /// ```
    /// assert_eq!(rr_worker::StopSignals::unregistered().requested_at(), None);
    /// ```
    pub fn requested_at(&self) -> Option<Instant> {
        self.shared.requested_at.get().copied()
    }

    /// Marks the start of work that a signal must not cut short. `false` means a signal
    /// arrived while idle and the process is ending right now: do not start the work.
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::unregistered();
    /// assert!(signals.enter_busy());
    /// signals.enter_idle();
    /// ```
    pub fn enter_busy(&self) -> bool {
        self.shared
            .state
            .compare_exchange(IDLE, BUSY, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Marks the end of that work: from now on a signal ends the process at once. Check
    /// [`is_requested`](Self::is_requested) right after, for a signal that came while busy.
    ///
    /// ```
    /// let signals = rr_worker::StopSignals::unregistered();
    /// signals.enter_idle();
    /// assert!(!signals.is_requested());
    /// ```
    pub fn enter_idle(&self) {
        let _ = self
            .shared
            .state
            .compare_exchange(BUSY, IDLE, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// How often the watcher looks at the worker's state while it lingers.
const TICK: Duration = Duration::from_millis(20);

/// How long an idle worker waits for the server's stop after finishing its last request.
/// RoadRunner stopping its pool polls for idle workers once a second and then sends each a
/// stop; a worker that exits before that is replaced by RoadRunner v2025.1.15 even while the
/// pool is being destroyed, and rr then waits out its whole grace and exits 1.
pub(crate) const LINGER: Duration = Duration::from_millis(2500);

impl Shared {
    /// One step of the watcher after a deferred signal: once the worker has been idle for
    /// [`LINGER`] without the server stopping it, the process ends with status 0.
    fn linger_step(&self) {
        std::thread::sleep(TICK);
        if self.state.load(Ordering::Acquire) != IDLE {
            self.idle_since.store(0, Ordering::Release);
            return;
        }
        let now = self.clock();
        let since =
            match self
                .idle_since
                .compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => now,
                Err(since) => since,
            };
        if now.saturating_sub(since) >= LINGER.as_millis() as u64
            && self
                .state
                .compare_exchange(IDLE, EXITING, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            self.exit("the request in flight is done, exiting with status 0", 0);
        }
    }

    /// Logs `why`, runs the exit hook, ends the process with `code`.
    fn exit(&self, why: &str, code: i32) -> ! {
        crate::log!("rr-worker: {why}");
        if let Some(hook) = self.on_exit.get() {
            (hook.0)(code);
        }
        std::process::exit(code)
    }

    /// Milliseconds since this handle was made, at least 1 (0 means "not idle").
    fn clock(&self) -> u64 {
        (self.created.elapsed().as_millis() as u64).max(1)
    }

    /// Records `signal`; says whether the process ends now.
    fn on_signal(&self, signal: i32) -> Action {
        if self.requested_at.set(Instant::now()).is_err() {
            // The second signal: the operator does not want to wait.
            return Action::Exit(128 + signal);
        }
        match self
            .state
            .compare_exchange(IDLE, EXITING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Action::Exit(0),
            Err(_) => Action::Defer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_while_idle_exits_0_and_no_work_starts_after_it() {
        let s = StopSignals::unregistered();
        assert_eq!(s.shared.on_signal(SIGTERM), Action::Exit(0));
        assert!(s.is_requested());
        assert!(
            !s.enter_busy(),
            "the process is ending: the payload is not started"
        );
    }

    #[test]
    fn a_signal_while_busy_is_deferred_and_a_second_one_exits_at_once() {
        let s = StopSignals::unregistered();
        assert!(s.enter_busy());
        assert_eq!(s.shared.on_signal(SIGTERM), Action::Defer);
        assert!(s.is_requested());
        assert_eq!(s.shared.on_signal(SIGINT), Action::Exit(128 + SIGINT));
    }

    #[test]
    fn after_busy_work_the_worker_sees_the_deferred_request() {
        let s = StopSignals::unregistered();
        assert!(s.enter_busy());
        assert_eq!(s.shared.on_signal(SIGINT), Action::Defer);
        s.enter_idle();
        assert!(s.is_requested());
        let first = s.requested_at().unwrap();
        s.request();
        assert_eq!(
            s.requested_at(),
            Some(first),
            "the first signal's time is kept"
        );
    }
}
