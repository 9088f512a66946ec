//! The kinds of broker, their Debian packages and programs, and the shared instances' variables.

use std::net::SocketAddr;

/// A broker or cache the tests run for real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// RabbitMQ (AMQP 0-9-1), for rr's `amqp` jobs driver.
    RabbitMq,
    /// beanstalkd, for rr's `beanstalk` jobs driver.
    Beanstalk,
    /// Redis, for rr's `redis` KV driver.
    Redis,
    /// memcached, for rr's `memcached` KV driver.
    Memcached,
}

impl Kind {
    /// Every kind, RabbitMQ first (it takes longest to start).
    pub const ALL: [Kind; 4] = [
        Kind::RabbitMq,
        Kind::Beanstalk,
        Kind::Redis,
        Kind::Memcached,
    ];

    /// The Debian package that provides it.
    ///
    /// ```
    /// assert_eq!(rr_brokers::Kind::Redis.package(), "redis-server");
    /// ```
    pub fn package(self) -> &'static str {
        match self {
            Self::RabbitMq => "rabbitmq-server",
            Self::Beanstalk => "beanstalkd",
            Self::Redis => "redis-server",
            Self::Memcached => "memcached",
        }
    }

    /// A short name for logs and directories.
    ///
    /// ```
    /// assert_eq!(rr_brokers::Kind::RabbitMq.name(), "rabbitmq");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Self::RabbitMq => "rabbitmq",
            Self::Beanstalk => "beanstalkd",
            Self::Redis => "redis",
            Self::Memcached => "memcached",
        }
    }

    /// The environment variable that holds the shared instance's `127.0.0.1:port`.
    ///
    /// ```
    /// assert_eq!(rr_brokers::Kind::Memcached.env_var(), "RR_E2E_MEMCACHED");
    /// ```
    pub fn env_var(self) -> &'static str {
        match self {
            Self::RabbitMq => "RR_E2E_AMQP",
            Self::Beanstalk => "RR_E2E_BEANSTALK",
            Self::Redis => "RR_E2E_REDIS",
            Self::Memcached => "RR_E2E_MEMCACHED",
        }
    }

    /// The program the package installs (the direct one for RabbitMQ: the packaged wrapper
    /// would switch to the `rabbitmq` user and its system-wide directories).
    pub(crate) fn program(self) -> &'static str {
        match self {
            Self::RabbitMq => "/usr/lib/rabbitmq/bin/rabbitmq-server",
            Self::Beanstalk => "/usr/bin/beanstalkd",
            Self::Redis => "/usr/bin/redis-server",
            Self::Memcached => "/usr/bin/memcached",
        }
    }
}

/// The address of the shared instance `cargo xtask test` started, from [`Kind::env_var`].
///
/// # Panics
///
/// When the variable is missing or not an address: the test needs the real broker and says
/// how to get it (it is never skipped).
///
/// ```no_run
/// let redis = rr_brokers::shared(rr_brokers::Kind::Redis);
/// assert!(redis.ip().is_loopback());
/// ```
pub fn shared(kind: Kind) -> SocketAddr {
    let var = kind.env_var();
    let value = std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: this test needs a real {name}. Run the tests with `cargo xtask \
             test`, or one test with `cargo xtask brokers -- cargo test -p rr-e2e --test NAME`, \
             which install {package} when missing, start it on 127.0.0.1 and set {var}",
            name = kind.name(),
            package = kind.package(),
        )
    });
    value
        .parse()
        .unwrap_or_else(|e| panic!("{var}={value:?} is not a host:port address: {e}"))
}
