//! Goridge: the frame protocol RoadRunner speaks with its workers and over its RPC socket.
//!
//! Every message, in both directions, is one frame:
//!
//! ```text
//! +--------------------+---------------------+--------------------------+
//! | 12-byte header     | 0..=10 u32 options  | payload (payload_len)    |
//! | ver/HL flags len   | little-endian       | e.g. context ‖ body      |
//! | crc stream rsvd    |                     |                          |
//! +--------------------+---------------------+--------------------------+
//! ```
//!
//! This crate knows frames and how to move them; it knows nothing of workers or HTTP.
//!
//! * [`FrameHead`], [`Frame`], [`Flags`], [`StreamFlags`], [`Options`]: the frame model.
//! * [`FrameCodec`]: decode from / encode into a [`bytes::BytesMut`], with a payload limit.
//! * [`RpcClient`]: calls to RoadRunner's RPC plugin (`informer.Workers`, `resetter.Reset`, …).
//! * [`Relay`]: the transport seam, with [`StreamRelay`] (pipes, TCP, unix), [`MemoryRelay`]
//!   for tests and [`AnyRelay`] built from a [`Dsn`] such as `tcp://127.0.0.1:7000`.
//!
//! # Example
//!
//! ```
//! use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
//!
//! let (mut worker, mut server) = MemoryRelay::pair();
//! let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(3));
//! worker.send(&head, &[b"ctx", b"body"])?;
//!
//! let frame = server.receive()?;
//! assert_eq!(frame.options(), [3]);
//! assert_eq!(&frame.payload[..], b"ctxbody");
//! # Ok::<(), goridge::RelayError>(())
//! ```

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
