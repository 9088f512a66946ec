//! PHP-array-like parameter trees: query strings, parsed form bodies, and
//! deserialising either into your own types.
//!
//! * [`parse_query`] reproduces PHP 8's `parse_str` (what the PHP worker
//!   library uses for `$request->query`), including its name mangling,
//!   integer keys, `[]` appends and limits (PHP's `parse_str` rules); [`QueryLimits`] makes
//!   the limits (1000 variables, 64 levels) configurable and reports what they drop.
//! * [`Params::from_json`] / [`Params::from_json_bytes`] read the JSON tree
//!   RoadRunner sends for urlencoded and multipart bodies (`docs/http.md`).
//! * [`from_params`], [`from_query_str`] and [`Params::deserialize`] turn a
//!   tree into any `serde::Deserialize` type, the way axum's `Query`/`Form`
//!   extractors do; failures are a [`ParamsError`] naming the key path.
//!
//! ```
//! use rr_http::params::{from_params, parse_query, Params};
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Filter { status: Option<String>, ids: Vec<u64> }
//! #[derive(Debug, serde::Deserialize)]
//! struct Query { page: u32, filter: Filter }
//!
//! let q = parse_query("page=2&filter[status]=open&filter[ids][]=7&filter[ids][]=9");
//! let parsed: Query = from_params(&q).unwrap();
//! assert_eq!(parsed.page, 2);
//! assert_eq!(parsed.filter.ids, [7, 9]);
//!
//! let form = Params::from_json_bytes(br#"{"page":"x","filter":{"ids":[]}}"#).unwrap();
//! let err = form.deserialize::<Query>().unwrap_err();
//! assert_eq!(err.to_string(), r#"invalid value for "page": expected an integer, got "x""#);
//! ```

mod de;
mod de_access;
mod de_node;
mod de_value;
mod error;
mod iter;
mod json;
mod key;
mod limits;
mod map;
mod query;
mod tree;

pub use de::{from_params, from_query_str};
pub use de_node::ParamsDeserializer;
pub use error::{ParamsError, ParamsErrorKind};
pub use iter::Iter;
pub use key::Key;
pub(crate) use key::{KeyRef, server_rank};
pub use limits::{LimitReport, MAX_INPUT_VARS, MAX_NESTING_LEVEL, QueryLimits};
pub use map::ParamMap;
pub use query::parse_query;
pub use tree::Params;
