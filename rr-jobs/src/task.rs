//! [`Task`]: one job as rr hands it to a jobs worker (its context and payload).

use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{Headers, JobsError};

/// One job delivered to this worker.
///
/// rr sends it as one frame with the raw codec: the context is a JSON object
/// (`id`, `job`, `driver`, `pipeline`, `headers`, `queue` for most drivers, and `topic`,
/// `partition`, `offset` from kafka), the body is the payload exactly as pushed. Missing keys
/// read as empty, unknown keys are ignored. Priority, delay and `auto_ack` are not sent to
/// workers, so a task cannot tell them.
///
/// ```
/// let context = br#"{"id":"1","job":"mail","driver":"memory","pipeline":"local","headers":{"to":["ann"]}}"#;
/// let task = rr_jobs::Task::from_parts(context, bytes::Bytes::from_static(b"{\"n\":1}"))?;
/// assert_eq!((task.id(), task.name(), task.pipeline()), ("1", "mail", "local"));
/// assert_eq!(task.headers().get("to"), Some("ann"));
/// assert_eq!(task.queue(), None);
/// # Ok::<(), rr_jobs::JobsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    context: Context,
    payload: Bytes,
}

/// Where a kafka job came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct KafkaPosition<'a> {
    /// The topic.
    pub topic: &'a str,
    /// The partition.
    pub partition: i32,
    /// The offset in the partition.
    pub offset: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
struct Context {
    id: String,
    job: String,
    driver: String,
    pipeline: String,
    queue: Option<String>,
    headers: Headers,
    topic: Option<String>,
    partition: Option<i32>,
    offset: Option<i64>,
}

// ===== impl Task =====

impl Task {
    /// A task from a frame's context (JSON) and body.
    ///
    /// ```
    /// let task = rr_jobs::Task::from_parts(b"{}", bytes::Bytes::new())?;
    /// assert_eq!(task.id(), "");
    /// assert!(rr_jobs::Task::from_parts(b"not json", bytes::Bytes::new()).is_err());
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`JobsError::BadTask`] when the context is not a JSON object of the expected shape.
    pub fn from_parts(context: &[u8], payload: Bytes) -> Result<Self, JobsError> {
        // serde reads a struct from an array too; rr only ever sends an object.
        if context.trim_ascii_start().first() != Some(&b'{') {
            let e = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(context)
                .err()
                .unwrap_or_else(|| serde::de::Error::custom("not an object"));
            return Err(JobsError::BadTask(e));
        }
        let context = serde_json::from_slice(context).map_err(JobsError::BadTask)?;
        Ok(Self { context, payload })
    }

    /// The job's id, as the producer set it.
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"id":"7"}"#, Default::default())?;
    /// assert_eq!(task.id(), "7");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.context.id
    }

    /// The job's name (`job` in the context; a class name for PHP producers).
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"job":"mail"}"#, Default::default())?;
    /// assert_eq!(task.name(), "mail");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.context.job
    }

    /// The pipeline it was pushed to.
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"pipeline":"local"}"#, Default::default())?;
    /// assert_eq!(task.pipeline(), "local");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn pipeline(&self) -> &str {
        &self.context.pipeline
    }

    /// The driver of that pipeline (`memory`, `amqp`, `beanstalk`, …).
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"driver":"amqp"}"#, Default::default())?;
    /// assert_eq!(task.driver(), "amqp");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn driver(&self) -> &str {
        &self.context.driver
    }

    /// The broker's queue (tube, subject…), when the driver names one; the memory driver
    /// does not.
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"queue":"q1"}"#, Default::default())?;
    /// assert_eq!(task.queue(), Some("q1"));
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn queue(&self) -> Option<&str> {
        self.context.queue.as_deref().filter(|q| !q.is_empty())
    }

    /// The headers, every value in order.
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(br#"{"headers":{"a":["1","2"]}}"#, Default::default())?;
    /// assert_eq!(task.headers().get_all("a"), ["1", "2"]);
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn headers(&self) -> &Headers {
        &self.context.headers
    }

    /// The payload, byte for byte as pushed.
    ///
    /// ```
    /// # let task = rr_jobs::Task::from_parts(b"{}", bytes::Bytes::from_static(b"\x00\xff"))?;
    /// assert_eq!(&task.payload()[..], b"\x00\xff");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The payload deserialised from JSON.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Mail { to: String }
    /// # let task = rr_jobs::Task::from_parts(b"{}", bytes::Bytes::from_static(br#"{"to":"ann"}"#))?;
    /// let mail: Mail = task.json()?;
    /// assert_eq!(mail.to, "ann");
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`JobsError::Payload`] when the payload is not JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, JobsError> {
        serde_json::from_slice(&self.payload).map_err(JobsError::Payload)
    }

    /// Topic, partition and offset of a kafka job; `None` from other drivers.
    ///
    /// ```
    /// let context = br#"{"driver":"kafka","topic":"t","partition":2,"offset":40}"#;
    /// # let task = rr_jobs::Task::from_parts(context, Default::default())?;
    /// let at = task.kafka().unwrap();
    /// assert_eq!((at.topic, at.partition, at.offset), ("t", 2, 40));
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    pub fn kafka(&self) -> Option<KafkaPosition<'_>> {
        let c = &self.context;
        let topic = c.topic.as_deref()?;
        Some(KafkaPosition {
            topic,
            partition: c.partition.unwrap_or_default(),
            offset: c.offset.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory driver's context as rr v2025.1.15 sends it (no `queue`).
    const MEMORY: &[u8] = br#"{"id":"a1","job":"ping","driver":"memory","headers":{"x":["1","2"]},"pipeline":"local"}"#;

    #[test]
    fn memory_context_reads_every_key() {
        let task = Task::from_parts(MEMORY, Bytes::from_static(b"body")).unwrap();
        assert_eq!(task.id(), "a1");
        assert_eq!(task.name(), "ping");
        assert_eq!(task.driver(), "memory");
        assert_eq!(task.pipeline(), "local");
        assert_eq!(task.queue(), None);
        assert_eq!(task.kafka(), None);
        assert_eq!(task.headers().get_all("x"), ["1", "2"]);
        assert_eq!(&task.payload()[..], b"body");
    }

    #[test]
    fn unknown_keys_and_null_headers_are_tolerated() {
        let task = Task::from_parts(
            br#"{"id":"1","headers":null,"timeout":30,"extra":{"a":[1]}}"#,
            Bytes::new(),
        )
        .unwrap();
        assert_eq!(task.id(), "1");
        assert!(task.headers().is_empty());
    }

    #[test]
    fn a_context_that_is_not_an_object_is_an_error() {
        for bad in [&b""[..], b"[]", b"\"id\"", br#"{"id":5}"#] {
            assert!(
                matches!(
                    Task::from_parts(bad, Bytes::new()),
                    Err(JobsError::BadTask(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn payload_json_errors_are_typed() {
        let task = Task::from_parts(b"{}", Bytes::from_static(b"nope")).unwrap();
        assert!(matches!(task.json::<u32>(), Err(JobsError::Payload(_))));
    }
}
