//! [`Reply`], [`Nack`], [`Requeue`]: what a worker answers a task with, and their JSON.

use std::time::Duration;

use serde::Serialize;

use crate::Headers;

/// The answer to one task. On the wire: the frame body `{"type":N,"data":{…}}` with
/// 2 = ack, 3 = nack, 4 = requeue. The deprecated types 0 and 1 are never sent.
///
/// ```
/// use rr_jobs::{Nack, Reply};
/// assert_eq!(Reply::Ack.to_json(), br#"{"type":2,"data":{}}"#);
/// let nack = Reply::from(Nack::new("bad input"));
/// assert_eq!(
///     nack.to_json(),
///     br#"{"type":3,"data":{"message":"bad input","requeue":false,"delay_seconds":0}}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Done: rr removes the job.
    Ack,
    /// Failed: rr drops or requeues it ([`Nack`]).
    Nack(Nack),
    /// Try again later, with added headers ([`Requeue`]).
    Requeue(Requeue),
}

/// A negative acknowledgement: the job failed. Without requeue rr drops it (memory), deletes it
/// (beanstalk) or rejects it (amqp); with requeue it comes back after the delay.
///
/// ```
/// use std::time::Duration;
/// let nack = rr_jobs::Nack::new("db down").requeue(true).delay(Duration::from_secs(5));
/// assert!(nack.requeues());
/// assert_eq!(nack.delay_seconds(), 5);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Nack {
    message: String,
    requeue: bool,
    delay_seconds: u64,
}

/// Put the job back, after a delay, with headers merged into its own (a new value replaces
/// the job's values of that name). rr re-pushes it; it is delivered again, possibly to another
/// worker.
///
/// ```
/// use std::time::Duration;
/// let retry = rr_jobs::Requeue::new("retry").delay(Duration::from_secs(2)).header("attempts", "3");
/// assert_eq!(retry.headers().get("attempts"), Some("3"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requeue {
    message: String,
    delay_seconds: u64,
    headers: Headers,
}

// ===== wire form =====

#[derive(Serialize)]
struct Wire<'a, D: Serialize> {
    #[serde(rename = "type")]
    kind: u8,
    data: &'a D,
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct NackData<'a> {
    message: &'a str,
    requeue: bool,
    delay_seconds: u64,
}

#[derive(Serialize)]
struct RequeueData<'a> {
    message: &'a str,
    delay_seconds: u64,
    headers: &'a Headers,
}

/// Rounds up to whole seconds, so a job never comes back sooner than asked.
fn whole_seconds(delay: Duration) -> u64 {
    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
}

// ===== impl Reply =====

impl Reply {
    /// Type 2: acknowledge.
    pub const ACK: u8 = 2;
    /// Type 3: negative acknowledge.
    pub const NACK: u8 = 3;
    /// Type 4: requeue.
    pub const REQUEUE: u8 = 4;

    /// The frame body for this reply.
    ///
    /// ```
    /// use rr_jobs::{Reply, Requeue};
    /// let body = Reply::from(Requeue::new("again").header("attempts", "2")).to_json();
    /// assert_eq!(
    ///     body,
    ///     br#"{"type":4,"data":{"message":"again","delay_seconds":0,"headers":{"attempts":["2"]}}}"#
    /// );
    /// ```
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising these structs cannot fail: string keys, no maps with other keys.
        let out = match self {
            Self::Ack => serde_json::to_vec(&Wire {
                kind: Self::ACK,
                data: &Empty {},
            }),
            Self::Nack(n) => serde_json::to_vec(&Wire {
                kind: Self::NACK,
                data: &NackData {
                    message: &n.message,
                    requeue: n.requeue,
                    delay_seconds: n.delay_seconds,
                },
            }),
            Self::Requeue(r) => serde_json::to_vec(&Wire {
                kind: Self::REQUEUE,
                data: &RequeueData {
                    message: &r.message,
                    delay_seconds: r.delay_seconds,
                    headers: &r.headers,
                },
            }),
        };
        out.unwrap_or_else(|_| unreachable!("reply JSON always serialises"))
    }
}

impl From<()> for Reply {
    /// A handler returning `Ok(())` acknowledges.
    fn from((): ()) -> Self {
        Self::Ack
    }
}

impl From<Nack> for Reply {
    fn from(nack: Nack) -> Self {
        Self::Nack(nack)
    }
}

impl From<Requeue> for Reply {
    fn from(requeue: Requeue) -> Self {
        Self::Requeue(requeue)
    }
}

// ===== impl Nack =====

impl Nack {
    /// A nack without requeue and without delay; `message` says why (rr does not log it, so
    /// the consumer logs it to stderr).
    ///
    /// ```
    /// assert!(!rr_jobs::Nack::new("why").requeues());
    /// ```
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }

    /// Whether rr should put the job back (`requeue` in the JSON).
    ///
    /// ```
    /// assert!(rr_jobs::Nack::new("why").requeue(true).requeues());
    /// ```
    pub fn requeue(mut self, requeue: bool) -> Self {
        self.requeue = requeue;
        self
    }

    /// The delay before a requeued job comes back, rounded up to whole seconds.
    ///
    /// ```
    /// use std::time::Duration;
    /// let nack = rr_jobs::Nack::new("why").delay(Duration::from_millis(1500));
    /// assert_eq!(nack.delay_seconds(), 2);
    /// ```
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay_seconds = whole_seconds(delay);
        self
    }

    /// The message.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Nack::new("why").message(), "why");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether it asks for a requeue.
    ///
    /// ```
    /// assert!(!rr_jobs::Nack::default().requeues());
    /// ```
    pub fn requeues(&self) -> bool {
        self.requeue
    }

    /// The delay in seconds.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Nack::default().delay_seconds(), 0);
    /// ```
    pub fn delay_seconds(&self) -> u64 {
        self.delay_seconds
    }
}

// ===== impl Requeue =====

impl Requeue {
    /// A requeue without delay or headers.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Requeue::new("later").message(), "later");
    /// ```
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }

    /// The delay before the job comes back, rounded up to whole seconds.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(rr_jobs::Requeue::new("").delay(Duration::from_secs(3)).delay_seconds(), 3);
    /// ```
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay_seconds = whole_seconds(delay);
        self
    }

    /// Adds a header value; rr replaces the job's values of that name with the ones sent here.
    ///
    /// ```
    /// let r = rr_jobs::Requeue::new("").header("tag", "a").header("tag", "b");
    /// assert_eq!(r.headers().get_all("tag"), ["a", "b"]);
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.append(name, value);
        self
    }

    /// The message.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Requeue::new("m").message(), "m");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The delay in seconds.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Requeue::new("m").delay_seconds(), 0);
    /// ```
    pub fn delay_seconds(&self) -> u64 {
        self.delay_seconds
    }

    /// The headers to merge.
    ///
    /// ```
    /// assert!(rr_jobs::Requeue::new("m").headers().is_empty());
    /// ```
    pub fn headers(&self) -> &Headers {
        &self.headers
    }
}
