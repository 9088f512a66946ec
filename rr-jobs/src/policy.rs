//! [`FailurePolicy`]: the nack a failed task gets.

use std::time::Duration;

use crate::Nack;

/// How a failed task is answered: a handler's `Err`, a panic, a task dropped without a reply,
/// and a task whose context cannot be read. Always a nack (never an ack, so a failure never
/// silently removes a job): without requeue (the default), or with requeue after a delay.
///
/// ```
/// use std::time::Duration;
/// use rr_jobs::FailurePolicy;
///
/// assert!(!FailurePolicy::default().nack("boom").requeues());
/// let retry = FailurePolicy::requeue(Duration::from_secs(10)).nack("boom");
/// assert!(retry.requeues());
/// assert_eq!(retry.delay_seconds(), 10);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailurePolicy {
    requeue: bool,
    delay: Duration,
}

impl FailurePolicy {
    /// Nack without requeue: the driver drops (memory), deletes (beanstalk) or rejects (amqp)
    /// the job. The default.
    ///
    /// ```
    /// assert_eq!(rr_jobs::FailurePolicy::discard(), rr_jobs::FailurePolicy::default());
    /// ```
    pub const fn discard() -> Self {
        Self {
            requeue: false,
            delay: Duration::ZERO,
        }
    }

    /// Nack with requeue: the job comes back after `delay` (whole seconds, rounded up).
    ///
    /// ```
    /// let p = rr_jobs::FailurePolicy::requeue(std::time::Duration::ZERO);
    /// assert!(p.nack("x").requeues());
    /// ```
    pub const fn requeue(delay: Duration) -> Self {
        Self {
            requeue: true,
            delay,
        }
    }

    /// The nack this policy sends, with `message`.
    ///
    /// ```
    /// assert_eq!(rr_jobs::FailurePolicy::discard().nack("m").message(), "m");
    /// ```
    pub fn nack(&self, message: impl Into<String>) -> Nack {
        Nack::new(message).requeue(self.requeue).delay(self.delay)
    }
}
