//! The one launcher of the real RoadRunner server, used by the end-to-end tests.
//!
//! [`RrServer::start`] writes a `.rr.yaml` into a fresh directory, starts rr on ports leased
//! across processes (see `ports.rs`) and waits until it serves HTTP.

mod ports;
mod server;

pub use self::ports::{PortLease, lease_port};
pub use self::server::{Relay, RrServer, ServerConfig, Variant, pid_alive, rr_binary};
