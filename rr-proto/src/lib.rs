//! The RoadRunner protobuf schema as [`prost`] types.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
