//! Typed calls to a RoadRunner server over its RPC socket (the `rpc` plugin, `RR_RPC`).
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod kv;
mod rpc;
mod time;

pub use self::kv::Kv;
pub use self::rpc::{DEFAULT_ADDRESS, Rpc, WorkerInfo};
pub use goridge::RpcError;
