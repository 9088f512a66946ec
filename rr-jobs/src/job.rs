//! [`Job`]: a job to push, with its options (pipeline, delay, priority, auto_ack, headers, kafka).

use std::time::Duration;

use bytes::Bytes;
use rr_proto::jobs::v1 as pb;
use serde::Serialize;

use crate::{Headers, JobsError};

/// A job to push with [`Jobs::push`](crate::Jobs::push) or
/// [`Jobs::push_batch`](crate::Jobs::push_batch).
///
/// ```
/// use std::time::Duration;
/// let job = rr_jobs::Job::new("mail", b"{\"to\":\"ann\"}".to_vec())
///     .pipeline("local")
///     .delay(Duration::from_secs(60))
///     .priority(5)
///     .header("tenant", "acme");
/// assert_eq!(job.name(), "mail");
/// assert!(job.id().is_none()); // generated (UUID v4) when pushed
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    name: String,
    id: Option<String>,
    payload: Bytes,
    headers: Headers,
    pipeline: String,
    delay_seconds: i64,
    priority: i64,
    auto_ack: bool,
    kafka: Option<Kafka>,
}

/// Kafka-only options: where the job is produced.
///
/// ```
/// let kafka = rr_jobs::Kafka::topic("orders").partition(2).metadata("m");
/// let job = rr_jobs::Job::new("order", "{}").pipeline("kafka").kafka(kafka);
/// # let _ = job;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kafka {
    topic: String,
    metadata: String,
    offset: i64,
    partition: i32,
}

// ===== impl Job =====

impl Job {
    /// A job named `name` (the worker's [`Task::name`](crate::Task::name)) with `payload`.
    ///
    /// ```
    /// let job = rr_jobs::Job::new("ping", "hello");
    /// assert_eq!(&job.payload()[..], b"hello");
    /// ```
    pub fn new(name: impl Into<String>, payload: impl Into<Bytes>) -> Self {
        Self {
            name: name.into(),
            id: None,
            payload: payload.into(),
            headers: Headers::new(),
            pipeline: String::new(),
            delay_seconds: 0,
            priority: 0,
            auto_ack: false,
            kafka: None,
        }
    }

    /// A job whose payload is `value` as JSON.
    ///
    /// ```
    /// let job = rr_jobs::Job::json("mail", &serde_json::json!({"to": "ann"}))?;
    /// assert_eq!(&job.payload()[..], br#"{"to":"ann"}"#);
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`JobsError::Payload`] when `value` does not serialise.
    pub fn json<T: Serialize + ?Sized>(
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, JobsError> {
        let payload = serde_json::to_vec(value).map_err(JobsError::Payload)?;
        Ok(Self::new(name, payload))
    }

    /// The pipeline to push to (required).
    ///
    /// ```
    /// assert_eq!(rr_jobs::Job::new("a", "").pipeline("local").pipeline_name(), "local");
    /// ```
    pub fn pipeline(mut self, pipeline: impl Into<String>) -> Self {
        self.pipeline = pipeline.into();
        self
    }

    /// The job's id; without one (or with an empty one) a UUID v4 is generated at push.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Job::new("a", "").with_id("42").id(), Some("42"));
    /// ```
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into()).filter(|id: &String| !id.is_empty());
        self
    }

    /// Waits `delay` (whole seconds, rounded up) before delivery.
    ///
    /// ```
    /// let job = rr_jobs::Job::new("a", "").delay(std::time::Duration::from_millis(200));
    /// # let _ = job;
    /// ```
    pub fn delay(mut self, delay: Duration) -> Self {
        let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
        self.delay_seconds = i64::try_from(secs).unwrap_or(i64::MAX);
        self
    }

    /// The priority: lower is delivered first; 0 (the default) takes the pipeline's.
    ///
    /// ```
    /// let job = rr_jobs::Job::new("a", "").priority(1);
    /// # let _ = job;
    /// ```
    pub fn priority(mut self, priority: i64) -> Self {
        self.priority = priority;
        self
    }

    /// Acknowledge on delivery, before the worker answers (amqp, beanstalk, nats, sqs and
    /// boltdb; the memory driver ignores it).
    ///
    /// ```
    /// let job = rr_jobs::Job::new("a", "").auto_ack(true);
    /// # let _ = job;
    /// ```
    pub fn auto_ack(mut self, auto_ack: bool) -> Self {
        self.auto_ack = auto_ack;
        self
    }

    /// Adds a header value (after the values the name already has).
    ///
    /// ```
    /// let job = rr_jobs::Job::new("a", "").header("tag", "x").header("tag", "y");
    /// assert_eq!(job.headers().get_all("tag"), ["x", "y"]);
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Kafka options.
    ///
    /// ```
    /// let job = rr_jobs::Job::new("a", "").kafka(rr_jobs::Kafka::topic("t"));
    /// # let _ = job;
    /// ```
    pub fn kafka(mut self, kafka: Kafka) -> Self {
        self.kafka = Some(kafka);
        self
    }

    /// The name.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Job::new("a", "").name(), "a");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The id, if one was set.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Job::new("a", "").id(), None);
    /// ```
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The pipeline's name (empty until set).
    ///
    /// ```
    /// assert_eq!(rr_jobs::Job::new("a", "").pipeline_name(), "");
    /// ```
    pub fn pipeline_name(&self) -> &str {
        &self.pipeline
    }

    /// The payload.
    ///
    /// ```
    /// assert!(rr_jobs::Job::new("a", "").payload().is_empty());
    /// ```
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The headers.
    ///
    /// ```
    /// assert!(rr_jobs::Job::new("a", "").headers().is_empty());
    /// ```
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The protobuf form, with a generated id when none was set; refuses a job without a
    /// pipeline.
    pub(crate) fn into_proto(self) -> Result<pb::Job, JobsError> {
        let id = self
            .id
            .unwrap_or_else(|| uuid::Uuid::new_v4().hyphenated().to_string());
        if self.pipeline.is_empty() {
            return Err(JobsError::NoPipeline { id });
        }
        let kafka = self.kafka.unwrap_or_default();
        Ok(pb::Job {
            job: self.name,
            id,
            payload: self.payload,
            headers: self.headers.to_proto(),
            options: Some(pb::Options {
                priority: self.priority,
                pipeline: self.pipeline,
                delay: self.delay_seconds,
                auto_ack: self.auto_ack,
                topic: kafka.topic,
                metadata: kafka.metadata,
                offset: kafka.offset,
                partition: kafka.partition,
            }),
        })
    }
}

// ===== impl Kafka =====

impl Kafka {
    /// Produce to `topic`.
    ///
    /// ```
    /// let kafka = rr_jobs::Kafka::topic("t");
    /// # let _ = kafka;
    /// ```
    pub fn topic(topic: impl Into<String>) -> Self {
        Self {
            topic: topic.into(),
            ..Self::default()
        }
    }

    /// The partition.
    ///
    /// ```
    /// let kafka = rr_jobs::Kafka::topic("t").partition(1);
    /// # let _ = kafka;
    /// ```
    pub fn partition(mut self, partition: i32) -> Self {
        self.partition = partition;
        self
    }

    /// The offset.
    ///
    /// ```
    /// let kafka = rr_jobs::Kafka::topic("t").offset(10);
    /// # let _ = kafka;
    /// ```
    pub fn offset(mut self, offset: i64) -> Self {
        self.offset = offset;
        self
    }

    /// The metadata string.
    ///
    /// ```
    /// let kafka = rr_jobs::Kafka::topic("t").metadata("m");
    /// # let _ = kafka;
    /// ```
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.metadata = metadata.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_reaches_the_protobuf_job() {
        let job = Job::new("mail", "p")
            .pipeline("local")
            .with_id("id-1")
            .delay(Duration::from_millis(1001))
            .priority(3)
            .auto_ack(true)
            .header("h", "1")
            .header("h", "2")
            .kafka(Kafka::topic("t").partition(4).offset(5).metadata("m"))
            .into_proto()
            .unwrap();
        assert_eq!((job.job.as_str(), job.id.as_str()), ("mail", "id-1"));
        assert_eq!(&job.payload[..], b"p");
        assert_eq!(job.headers["h"].value, ["1", "2"]);
        let o = job.options.unwrap();
        assert_eq!(
            (o.pipeline.as_str(), o.delay, o.priority, o.auto_ack),
            ("local", 2, 3, true)
        );
        assert_eq!(
            (o.topic.as_str(), o.metadata.as_str(), o.offset, o.partition),
            ("t", "m", 5, 4)
        );
    }

    #[test]
    fn ids_are_generated_and_distinct_and_a_pipeline_is_required() {
        let a = Job::new("a", "")
            .pipeline("p")
            .with_id("")
            .into_proto()
            .unwrap()
            .id;
        let b = Job::new("a", "").pipeline("p").into_proto().unwrap().id;
        assert_eq!(a.len(), 36);
        assert_ne!(a, b);
        assert!(matches!(
            Job::new("a", "").into_proto(),
            Err(JobsError::NoPipeline { .. })
        ));
    }
}
