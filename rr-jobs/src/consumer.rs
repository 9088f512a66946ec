//! [`Consumer`], [`Delivery`] and [`serve`]: the jobs worker side.

use std::fmt::Display;
use std::ops::Deref;
use std::panic::{AssertUnwindSafe, catch_unwind};

use goridge::{AnyRelay, Flags, Relay};
use rr_worker::{Worker, WorkerError};

use crate::{FailurePolicy, JobsError, Nack, Reply, Requeue, Task};

/// Runs `handler` for every task rr hands this worker, until rr stops it.
///
/// `Ok` acknowledges (or sends the [`Reply`] the handler returned: a [`Nack`] or a
/// [`Requeue`]); `Err` and a panic are answered with a nack by the default
/// [`FailurePolicy`] (no requeue), the error is logged to stderr, and the worker keeps
/// serving. For another policy use [`Consumer::with_policy`] and [`Consumer::serve`].
///
/// ```no_run
/// #[derive(serde::Deserialize)]
/// struct Mail { to: String }
///
/// fn main() -> Result<(), rr_jobs::JobsError> {
///     rr_jobs::serve(|task: &rr_jobs::Task| {
///         let mail: Mail = task.json()?;
///         rr_worker::log!("sending mail to {}", mail.to);
///         Ok::<_, rr_jobs::JobsError>(())
///     })
/// }
/// ```
///
/// # Errors
///
/// When the worker cannot talk to rr (exit; rr starts a fresh worker).
pub fn serve<F, T, E>(handler: F) -> Result<(), JobsError>
where
    F: FnMut(&Task) -> Result<T, E>,
    T: Into<Reply>,
    E: Display,
{
    Consumer::from_env()?.serve(handler)
}

/// A jobs worker: hands out tasks one at a time as [`Delivery`]s, each answered exactly once.
///
/// ```
/// use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
/// use rr_jobs::Consumer;
///
/// // An in-memory rr: one task, then stop.
/// let (relay, mut rr) = MemoryRelay::pair();
/// let context = br#"{"id":"1","job":"ping","pipeline":"local","driver":"memory","headers":{}}"#;
/// let head = FrameHead::new(Flags::CODEC_RAW).with_options(Options::one(context.len() as u32));
/// rr.send(&head, &[context, b"payload"])?;
/// rr.send(&FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON), &[br#"{"stop":true}"#])?;
///
/// let mut consumer = Consumer::new(rr_worker::Worker::new(relay));
/// while let Some(delivery) = consumer.receive()? {
///     assert_eq!(delivery.name(), "ping");
///     delivery.ack()?;
/// }
/// assert_eq!(&rr.receive()?.payload[..], br#"{"type":2,"data":{}}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Consumer<R = AnyRelay> {
    worker: Worker<R>,
    policy: FailurePolicy,
    /// A reply sent from [`Delivery`]'s `Drop` that failed: reported by the next `receive`.
    deferred: Option<WorkerError>,
}

/// One task waiting for its reply. It dereferences to the [`Task`].
///
/// Answer it with [`ack`](Self::ack), [`nack`](Self::nack), [`requeue`](Self::requeue) or
/// [`reply`](Self::reply); each takes the delivery by value, so a second answer does not
/// compile. A delivery dropped unanswered (an early `return`, `?`, a panic) is answered with
/// the consumer's [`FailurePolicy`] nack, so rr never waits for it and never acks it.
#[derive(Debug)]
pub struct Delivery<'a, R: Relay = AnyRelay> {
    consumer: &'a mut Consumer<R>,
    task: Task,
    answered: bool,
}

// ===== impl Consumer =====

impl Consumer<AnyRelay> {
    /// Connects to rr as its environment says (`RR_RELAY`, pipes by default).
    ///
    /// # Errors
    ///
    /// When `RR_RELAY` is invalid or rr cannot be reached.
    ///
    /// ```no_run
    /// let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn from_env() -> Result<Self, JobsError> {
        Ok(Self::new(Worker::from_env()?))
    }
}

impl<R: Relay> Consumer<R> {
    /// A consumer over a connected worker, with the default [`FailurePolicy`].
    ///
    /// ```
    /// let (relay, _rr) = goridge::MemoryRelay::pair();
    /// let consumer = rr_jobs::Consumer::new(rr_worker::Worker::new(relay));
    /// assert_eq!(consumer.policy(), rr_jobs::FailurePolicy::default());
    /// ```
    pub fn new(worker: Worker<R>) -> Self {
        Self {
            worker,
            policy: FailurePolicy::default(),
            deferred: None,
        }
    }

    /// Sets how failures are answered.
    ///
    /// ```
    /// use rr_jobs::FailurePolicy;
    /// let (relay, _rr) = goridge::MemoryRelay::pair();
    /// let policy = FailurePolicy::requeue(std::time::Duration::from_secs(5));
    /// let consumer = rr_jobs::Consumer::new(rr_worker::Worker::new(relay)).with_policy(policy);
    /// assert_eq!(consumer.policy(), policy);
    /// ```
    pub fn with_policy(mut self, policy: FailurePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The failure policy.
    ///
    /// ```
    /// # let (relay, _rr) = goridge::MemoryRelay::pair();
    /// # let consumer = rr_jobs::Consumer::new(rr_worker::Worker::new(relay));
    /// assert!(!consumer.policy().nack("").requeues());
    /// ```
    pub fn policy(&self) -> FailurePolicy {
        self.policy
    }

    /// Waits for the next task; `Ok(None)` when rr asks the worker to stop (exit then).
    ///
    /// A task whose context is not JSON is answered with the policy's nack, logged, and
    /// skipped.
    ///
    /// ```no_run
    /// let mut consumer = rr_jobs::Consumer::from_env()?;
    /// while let Some(delivery) = consumer.receive()? {
    ///     delivery.ack()?;
    /// }
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the relay fails, also when an earlier unanswered delivery's nack could not be sent.
    pub fn receive(&mut self) -> Result<Option<Delivery<'_, R>>, JobsError> {
        if let Some(e) = self.deferred.take() {
            return Err(e.into());
        }
        loop {
            let Some(payload) = self.worker.wait_payload()? else {
                return Ok(None);
            };
            match Task::from_parts(&payload.context, payload.body) {
                Ok(task) => {
                    return Ok(Some(Delivery {
                        consumer: self,
                        task,
                        answered: false,
                    }));
                }
                Err(e) => {
                    rr_worker::log!("rr-jobs: cannot read a task, answering with a nack: {e}");
                    let nack = self.policy.nack(e.to_string());
                    self.send(&Reply::Nack(nack))?;
                }
            }
        }
    }

    /// Runs `handler` for every task until rr stops the worker, as [`serve`] does, with this
    /// consumer's policy.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use rr_jobs::{Consumer, FailurePolicy, Task};
    ///
    /// Consumer::from_env()?
    ///     .with_policy(FailurePolicy::requeue(Duration::from_secs(30)))
    ///     .serve(|task: &Task| if task.payload().is_empty() { Err("empty payload") } else { Ok(()) })?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the worker cannot talk to rr.
    pub fn serve<F, T, E>(&mut self, mut handler: F) -> Result<(), JobsError>
    where
        F: FnMut(&Task) -> Result<T, E>,
        T: Into<Reply>,
        E: Display,
    {
        while let Some(delivery) = self.receive()? {
            let outcome = catch_unwind(AssertUnwindSafe(|| handler(&delivery.task)));
            let failure = match outcome {
                Ok(Ok(reply)) => {
                    delivery.reply(reply.into())?;
                    continue;
                }
                Ok(Err(e)) => e.to_string(),
                Err(panic) => format!("the handler panicked: {}", panic_message(&*panic)),
            };
            rr_worker::log!(
                "rr-jobs: job {} ({}) failed: {failure}",
                delivery.task.id(),
                delivery.task.name()
            );
            let nack = delivery.consumer.policy.nack(failure);
            delivery.nack(nack)?;
        }
        Ok(())
    }

    /// Sends one reply frame: the JSON body, no context.
    fn send(&mut self, reply: &Reply) -> Result<(), WorkerError> {
        self.worker
            .send(Flags::CODEC_JSON, b"", &reply.to_json(), false)
    }
}

/// The text of a panic's payload (`&str` or `String`, as `panic!` makes them).
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

// ===== impl Delivery =====

impl<R: Relay> Delivery<'_, R> {
    /// The task.
    ///
    /// ```no_run
    /// # let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # let delivery = consumer.receive()?.unwrap();
    /// eprintln!("job {}", delivery.task().id());
    /// # delivery.ack()?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// Acknowledges: the job is done and removed.
    ///
    /// ```no_run
    /// # let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # let delivery = consumer.receive()?.unwrap();
    /// delivery.ack()?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the reply cannot be sent.
    pub fn ack(self) -> Result<(), JobsError> {
        self.reply(Reply::Ack)
    }

    /// Answers with a nack ([`Nack`]: requeue or not, a delay).
    ///
    /// ```no_run
    /// # let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # let delivery = consumer.receive()?.unwrap();
    /// delivery.nack(rr_jobs::Nack::new("bad input"))?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the reply cannot be sent.
    pub fn nack(self, nack: Nack) -> Result<(), JobsError> {
        self.reply(Reply::Nack(nack))
    }

    /// Puts the job back with a delay and added headers ([`Requeue`]).
    ///
    /// ```no_run
    /// # let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # let delivery = consumer.receive()?.unwrap();
    /// delivery.requeue(rr_jobs::Requeue::new("later").delay(std::time::Duration::from_secs(30)))?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the reply cannot be sent.
    pub fn requeue(self, requeue: Requeue) -> Result<(), JobsError> {
        self.reply(Reply::Requeue(requeue))
    }

    /// Sends `reply`.
    ///
    /// ```no_run
    /// # let mut consumer = rr_jobs::Consumer::from_env()?;
    /// # let delivery = consumer.receive()?.unwrap();
    /// delivery.reply(rr_jobs::Reply::Ack)?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the reply cannot be sent.
    pub fn reply(mut self, reply: Reply) -> Result<(), JobsError> {
        self.answered = true;
        self.consumer.send(&reply).map_err(JobsError::from)
    }
}

impl<R: Relay> Deref for Delivery<'_, R> {
    type Target = Task;

    fn deref(&self) -> &Task {
        &self.task
    }
}

impl<R: Relay> Drop for Delivery<'_, R> {
    fn drop(&mut self) {
        if self.answered {
            return;
        }
        let message = "the task was dropped without a reply";
        rr_worker::log!("rr-jobs: job {}: {message}", self.task.id());
        let nack = self.consumer.policy.nack(message);
        if let Err(e) = self.consumer.send(&Reply::Nack(nack)) {
            self.consumer.deferred = Some(e);
        }
    }
}
