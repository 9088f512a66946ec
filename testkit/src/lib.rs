//! The workspace's test kit (not published): one copy of what the tests, the benches and
//! xtask share.
//!
//! * [`vectors`]: the golden frames of `docs/frames.md` and `docs/http.md`, with their fields.
//! * [`unhex`], [`try_unhex`], [`hex`]: hex text to bytes and back.
//! * [`ScriptedServer`]: RoadRunner's side of an in-memory relay, for worker-side tests.
//! * [`median`]: the statistic the benchmark reports print.
//! * [`rr`]: starts the real `rr` binary for one test (`RR_BINARY`, `RR_BINARY_2023`) on
//!   leased ports, and stops it again.

mod hex;
pub mod rr;
mod scripted;
mod stats;
pub mod vectors;

pub use self::hex::{HexError, hex, try_unhex, unhex};
pub use self::scripted::ScriptedServer;
pub use self::stats::median;
