//! The RoadRunner protobuf schema as [`prost`] types.
//!
//! The `.proto` sources live in the workspace's `proto/` directory; the Rust code under
//! `src/generated/` is produced from them by `cargo xtask codegen` and checked in, so users
//! never need `protoc`. A test (`cargo xtask codegen --check`, also run by `cargo test -p xtask`)
//! fails when the checked-in code is stale.
//!
//! Maps are `BTreeMap`s, so encoding is deterministic (sorted keys), and `bytes` fields are
//! [`bytes::Bytes`], so decoding a request context does not copy header values.
//!
//! # Example
//!
//! ```
//! use prost::Message;
//! use rr_proto::http::v1::{HeaderValue, Response};
//!
//! let mut response = Response { status: 200, ..Default::default() };
//! response.headers.insert(
//!     "Content-Type".into(),
//!     HeaderValue { value: vec!["text/plain; charset=utf-8".into()] },
//! );
//! // Vector B context of shared/spec/http.md §12.2 starts with the status.
//! assert_eq!(&response.encode_to_vec()[..3], [0x08, 0xc8, 0x01]);
//! ```

/// Schemas of the HTTP plugin.
pub mod http {
    /// `package http.v1`: the request and response heads of the HTTP worker protocol.
    #[allow(missing_docs, clippy::all)]
    #[rustfmt::skip]
    pub mod v1 {
        include!("generated/http.v1.rs");
    }
}

/// Schemas of the jobs plugin.
pub mod jobs {
    /// `package jobs.v1`: the arguments and replies of the `jobs.*` RPC methods.
    #[allow(missing_docs, clippy::all)]
    #[rustfmt::skip]
    pub mod v1 {
        include!("generated/jobs.v1.rs");
    }
}

/// Schemas of the KV plugin.
pub mod kv {
    /// `package kv.v1`: the arguments and replies of the `kv.*` RPC methods.
    #[allow(missing_docs, clippy::all)]
    #[rustfmt::skip]
    pub mod v1 {
        include!("generated/kv.v1.rs");
    }
}
