//! Real brokers and caches for the end-to-end tests: the Debian packages, started on 127.0.0.1
//! with a private port and data directory, never mocks.
//!
//! * [`ensure_installed`] installs the packages with `apt-get` when one is missing (as root, with
//!   a `policy-rc.d` that keeps the packages' own services from starting on default ports).
//! * [`Broker::start`] runs one private instance and waits until it answers its protocol;
//!   [`Broker::restart`], [`Broker::kill`] and [`Broker::stop`] serve the fault tests; dropping
//!   it stops it.
//! * `cargo xtask test` starts one shared instance of each kind for the whole run and passes
//!   its address in [`Kind::env_var`]; tests read it with [`shared`], which fails loudly (never
//!   skips) when the variable is missing.
//!
//! ```no_run
//! use rr_brokers::{Broker, Kind};
//!
//! let redis = Broker::start(Kind::Redis, std::path::Path::new("target/tmp"))?;
//! println!("redis answers on {}", redis.addr());
//! # Ok::<(), rr_brokers::BrokerError>(())
//! ```

mod error;
mod install;
mod instance;
mod kind;
mod probe;
mod rabbitmq;
mod stale;

pub use self::error::BrokerError;
pub use self::install::ensure_installed;
pub use self::instance::Broker;
pub use self::kind::{Kind, shared};
pub use self::stale::reap_stale;
