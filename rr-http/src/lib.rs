//! RoadRunner HTTP workers with the types of the `http` crate.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod body;
mod canonical;
mod codec;
mod error;
mod ext;
mod hints;
mod http_error;
mod into_response;
mod query_log;
mod request;
mod request_data;
mod responder;
mod response;
mod serve;
mod stream;
mod stream_writer;
#[cfg(feature = "tower")]
mod tower;
#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod tracing;
mod uploads;
mod worker;

pub use self::body::{Body, BodySender, BoxError, ClientGone};
pub use self::codec::Codec;
pub use self::error::{ContextError, Error, FormError, JsonError, RequestError, ResponseError};
pub use self::ext::{Attributes, Cookies, ParsedForm, Protocol, RawQuery, RemoteAddr, RequestExt};
pub use self::hints::{EarlyHints, HintError};
pub use self::http_error::{HandlerError, HttpError};
#[allow(deprecated)]
pub use self::into_response::{IntoReply, IntoResponse};
pub use self::request::decode_request;
pub use self::responder::{Delivery, Responder};
pub use self::serve::{Hints, serve, serve_with_hints};
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use self::tower::{HintSender, serve_fn, serve_service};
pub use self::uploads::{UploadError, UploadNode, UploadStatus, UploadedFile, Uploads};
pub use self::worker::{DEFAULT_CHUNK_SIZE, Exchange, HttpWorker};

pub use http;
#[doc(inline)]
pub use rr_params as params;
pub use rr_worker;
pub use rr_worker::log;
