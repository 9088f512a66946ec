//! Goridge: the frame protocol RoadRunner speaks with its workers and over its RPC socket.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod codec;
mod error;
mod frame;
pub mod relay;
pub mod rpc;

pub use self::codec::{DEFAULT_MAX_PAYLOAD, FrameCodec};
pub use self::error::{FrameError, RelayError};
pub use self::frame::{
    FixedHeader, Flags, Frame, FrameHead, HEADER_LEN, MAX_HEADER_LEN, MAX_OPTIONS, Options,
    StreamFlags, VERSION,
};
pub use self::relay::{AnyRelay, Dsn, MemoryRelay, Relay, StreamRelay};
pub use self::rpc::{RpcClient, RpcError};
