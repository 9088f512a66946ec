//! [`Pipeline`] and the typed builders per driver: what `jobs.Declare` creates at runtime.

use std::collections::BTreeMap;
use std::time::Duration;

/// A pipeline to declare: rr's flat map of string keys (`driver`, `name`, `priority` and the
/// driver's own keys). A declared pipeline consumes only when its name is in `jobs.consume`;
/// otherwise call [`Jobs::resume`](crate::Jobs::resume) after declaring it.
///
/// Build one with a driver's builder ([`Memory`], [`Amqp`], [`Beanstalk`], [`Boltdb`]) or,
/// for any other driver, [`Pipeline::new`] and [`Pipeline::set`].
///
/// ```
/// use rr_jobs::{Memory, Pipeline};
/// let pipeline: Pipeline = Memory::new("runtime").priority(5).prefetch(100).into();
/// assert_eq!(pipeline.get("driver"), Some("memory"));
/// assert_eq!(pipeline.get("prefetch"), Some("100"));
///
/// let nats = Pipeline::new("nats", "events").set("subject", "events.*");
/// assert_eq!(nats.name(), "events");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    keys: BTreeMap<String, String>,
}

impl Pipeline {
    /// A pipeline of `driver` named `name`.
    ///
    /// ```
    /// let p = rr_jobs::Pipeline::new("memory", "local");
    /// assert_eq!(p.get("name"), Some("local"));
    /// ```
    pub fn new(driver: &str, name: &str) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert("driver".to_owned(), driver.to_owned());
        keys.insert("name".to_owned(), name.to_owned());
        Self { keys }
    }

    /// Sets a key (rr parses numbers and booleans from the strings).
    ///
    /// ```
    /// let p = rr_jobs::Pipeline::new("memory", "local").set("prefetch", "10");
    /// assert_eq!(p.get("prefetch"), Some("10"));
    /// ```
    pub fn set(mut self, key: &str, value: impl ToString) -> Self {
        self.keys.insert(key.to_owned(), value.to_string());
        self
    }

    /// A key's value.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Pipeline::new("memory", "local").get("queue"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&str> {
        self.keys.get(key).map(String::as_str)
    }

    /// The pipeline's name.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Pipeline::new("memory", "local").name(), "local");
    /// ```
    pub fn name(&self) -> &str {
        self.get("name").unwrap_or_default()
    }

    pub(crate) fn into_keys(self) -> BTreeMap<String, String> {
        self.keys
    }
}

/// Declares a builder type for one driver: a `new(name)` constructor and typed setters.
macro_rules! driver_builder {
    (
        $(#[$doc:meta])* $ty:ident, $driver:literal,
        { $( $(#[$mdoc:meta])* $method:ident : $arg:ty => $key:literal ),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $ty(Pipeline);

        impl $ty {
            #[doc = concat!("A `", $driver, "` pipeline named `name`.")]
            pub fn new(name: &str) -> Self {
                Self(Pipeline::new($driver, name))
            }

            /// The pipeline's priority for jobs pushed with priority 0 (rr's default is 10).
            pub fn priority(self, priority: i64) -> Self {
                Self(self.0.set("priority", priority))
            }

            /// Any other key of the driver.
            pub fn set(self, key: &str, value: impl ToString) -> Self {
                Self(self.0.set(key, value))
            }

            $(
                $(#[$mdoc])*
                pub fn $method(self, value: $arg) -> Self {
                    Self(self.0.set($key, Value::from(value).0))
                }
            )*
        }

        impl From<$ty> for Pipeline {
            fn from(builder: $ty) -> Pipeline {
                builder.0
            }
        }
    };
}

/// A key's value as rr's pipeline parser reads it.
struct Value(String);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self(v.to_owned())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self(v.to_string())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self(v.to_string())
    }
}
impl From<Duration> for Value {
    /// Whole seconds, rounded up.
    fn from(v: Duration) -> Self {
        Self((v.as_secs() + u64::from(v.subsec_nanos() > 0)).to_string())
    }
}

driver_builder!(
    /// The in-memory driver (jobs are lost when rr stops).
    ///
    /// ```
    /// let p: rr_jobs::Pipeline = rr_jobs::Memory::new("m").prefetch(10).into();
    /// assert_eq!(p.get("prefetch"), Some("10"));
    /// ```
    Memory, "memory", {
        /// How many jobs the driver keeps in rr's priority queue at once.
        prefetch: u32 => "prefetch",
    }
);

driver_builder!(
    /// The BoltDB driver (a file on rr's disk).
    ///
    /// ```
    /// let p: rr_jobs::Pipeline = rr_jobs::Boltdb::new("b").file("jobs.db").into();
    /// assert_eq!(p.get("file"), Some("jobs.db"));
    /// ```
    Boltdb, "boltdb", {
        /// The database file.
        file: &str => "file",
        /// How many jobs are read ahead.
        prefetch: u32 => "prefetch",
        /// The file's permissions (octal digits as rr reads them, e.g. 0755 as 755).
        permissions: u32 => "permissions",
    }
);

driver_builder!(
    /// The AMQP (RabbitMQ) driver; needs rr's global `amqp.addr`.
    ///
    /// ```
    /// let p: rr_jobs::Pipeline = rr_jobs::Amqp::new("a").queue("q").requeue_on_fail(true).into();
    /// assert_eq!(p.get("requeue_on_fail"), Some("true"));
    /// ```
    Amqp, "amqp", {
        /// The queue.
        queue: &str => "queue",
        /// The exchange.
        exchange: &str => "exchange",
        /// The exchange type (`direct`, `fanout`, `topic`, `headers`).
        exchange_type: &str => "exchange_type",
        /// The routing key.
        routing_key: &str => "routing_key",
        /// How many unacknowledged messages the consumer holds.
        prefetch: u32 => "prefetch",
        /// An exclusive queue.
        exclusive: bool => "exclusive",
        /// A durable queue.
        durable: bool => "durable",
        /// Delete the queue when the pipeline stops.
        delete_queue_on_stop: bool => "delete_queue_on_stop",
        /// Acknowledge several messages at once.
        multiple_ack: bool => "multiple_ack",
        /// Requeue on a failure nack (an ERROR frame, a crash, `exec_ttl`).
        requeue_on_fail: bool => "requeue_on_fail",
        /// A durable exchange.
        exchange_durable: bool => "exchange_durable",
        /// Delete the exchange when unused.
        exchange_auto_delete: bool => "exchange_auto_delete",
        /// Delete the queue when unused.
        queue_auto_delete: bool => "queue_auto_delete",
        /// How long to keep redialling a lost connection.
        redial_timeout: Duration => "redial_timeout",
        /// The consumer tag.
        consumer_id: &str => "consumer_id",
    }
);

driver_builder!(
    /// The beanstalkd driver; needs rr's global `beanstalk.addr`.
    ///
    /// ```
    /// let p: rr_jobs::Pipeline = rr_jobs::Beanstalk::new("b").tube("default").into();
    /// assert_eq!(p.get("tube"), Some("default"));
    /// ```
    Beanstalk, "beanstalk", {
        /// The tube.
        tube: &str => "tube",
        /// The priority beanstalkd gives the jobs (lower first).
        tube_priority: u32 => "tube_priority",
        /// How long one reserve call waits.
        reserve_timeout: Duration => "reserve_timeout",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_write_the_keys_rr_reads() {
        let p: Pipeline = Amqp::new("a")
            .priority(3)
            .queue("q")
            .exchange("x")
            .durable(true)
            .redial_timeout(Duration::from_millis(1500))
            .into();
        let keys: Vec<_> = p.clone().into_keys().into_iter().collect();
        let want = [
            ("driver", "amqp"),
            ("durable", "true"),
            ("exchange", "x"),
            ("name", "a"),
            ("priority", "3"),
            ("queue", "q"),
            ("redial_timeout", "2"),
        ];
        assert_eq!(keys, want.map(|(k, v)| (k.to_owned(), v.to_owned())));
        let b: Pipeline = Beanstalk::new("b")
            .tube_priority(1)
            .reserve_timeout(Duration::from_secs(5))
            .into();
        assert_eq!(
            (b.get("tube_priority"), b.get("reserve_timeout")),
            (Some("1"), Some("5"))
        );
        let d: Pipeline = Boltdb::new("d").permissions(755).into();
        assert_eq!(
            (d.get("driver"), d.get("permissions")),
            (Some("boltdb"), Some("755"))
        );
    }
}
