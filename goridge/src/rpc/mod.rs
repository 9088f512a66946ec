//! A Goridge RPC client: call RoadRunner's RPC methods (`informer.Workers`, `resetter.Reset`,
//! `rpc.Version`, …) over the socket of its `rpc` plugin (`RR_RPC`, e.g. `tcp://127.0.0.1:6001`).
//!
//! Every call is one frame each way (`docs/rpc.md`):
//!
//! ```text
//! request:  flags = codec, options = [seq, method_len], payload = method ‖ argument
//! reply:    flags = codec (| ERROR), options = [seq, method_len], payload = method ‖ reply
//! ```

mod client;
mod error;

pub use self::client::RpcClient;
pub use self::error::RpcError;
