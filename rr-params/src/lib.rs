//! PHP-style parameter trees: `parse_str` query strings, RoadRunner's form trees, and serde
//! deserialisation of both into your own types.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod de;
mod de_access;
mod de_node;
mod de_value;
mod error;
mod iter;
mod json;
mod json_error;
mod key;
mod limits;
mod map;
mod query;
mod tree;

pub use de::{from_params, from_query_str};
pub use de_node::ParamsDeserializer;
pub use error::{ParamsError, ParamsErrorKind};
pub use iter::Iter;
pub use json_error::JsonError;
pub use key::{Key, server_rank};
pub use limits::{LimitReport, MAX_INPUT_VARS, MAX_NESTING_LEVEL, QueryLimits};
pub use map::ParamMap;
pub use query::parse_query;
pub use tree::Params;
