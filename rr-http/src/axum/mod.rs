//! axum extractors for what RoadRunner sends with a request (feature `axum`).
//!
//! Run a `Router` with [`serve_service`](crate::serve_service); then, in handlers:
//!
//! | extractor | gives | on a request without it |
//! |---|---|---|
//! | [`RemoteAddr`](crate::RemoteAddr) | the client's IP as rr reports it | `""` (only hand-built requests) |
//! | [`Cookies`](crate::Cookies) | cookies rr parsed, values decoded | empty |
//! | [`Uploads`](crate::Uploads) | the uploaded files' tree | empty |
//! | [`Attributes`](crate::Attributes) | attributes set by rr middleware | empty |
//! | [`RawQuery`](crate::RawQuery) | the query as the client sent it | the URI's query |
//! | [`Protocol`](crate::Protocol) | `HTTP/1.1`, `HTTP/2.0`… | the request's version |
//! | [`HintSender`](crate::HintSender) | 103 Early Hints | a closed sender |
//! | [`PhpQuery<T>`] | the query, PHP bracket syntax | (`T` decides) |
//! | [`PhpForm<T>`] | the form, PHP bracket syntax, both `raw_body` settings | 415 |
//!
//! None of them fails on a request that lacks the data: the value is empty instead.
//!
//! # Bodies and `http.raw_body`
//!
//! With rr's default `http.raw_body: false`, rr parses urlencoded and multipart bodies itself:
//! the worker gets the fields as a tree and the files in [`Uploads`](crate::Uploads), never the
//! body. So:
//!
//! | | `raw_body: false` (default) | `raw_body: true` |
//! |---|---|---|
//! | [`PhpForm`] | fields (rr's tree) | fields (parsed here, PHP's `parse_str` rules) |
//! | [`Uploads`](crate::Uploads) | files (rr stored them) | empty: rr leaves the body alone |
//! | axum `Form` | 400 naming the fix | works |
//! | axum `Multipart` | error naming the fix | works (fields and files) |
//! | axum `Json`, `Bytes`, `String` | work (rr never parses JSON) | work |
//!
//! Where rr parsed the body, the body a service gets fails to read, and the response to a
//! handler that tried says to use [`PhpForm`] or to set `http.raw_body: true`: never the tree
//! taken for a form.
//!
//! ```no_run
//! use axum::{Router, routing::{get, post}};
//! use rr_http::axum::{PhpForm, PhpQuery};
//! use rr_http::{Cookies, RemoteAddr, Uploads};
//!
//! #[derive(serde::Deserialize)]
//! struct Filter { tags: Vec<String> }
//! #[derive(serde::Deserialize)]
//! struct Comment { text: String }
//!
//! async fn list(addr: RemoteAddr, cookies: Cookies, PhpQuery(f): PhpQuery<Filter>) -> String {
//!     format!("{} asks for {:?} (sid {:?})", addr.as_str(), f.tags, cookies.get("sid"))
//! }
//!
//! async fn comment(uploads: Uploads, PhpForm(c): PhpForm<Comment>) -> String {
//!     format!("{} with {} files", c.text, uploads.files().len())
//! }
//!
//! let app = Router::new().route("/", get(list)).route("/comment", post(comment));
//! rr_http::serve_service(app)?;
//! # Ok::<(), rr_http::Error>(())
//! ```

mod multipart;
mod parts;
mod php;
mod rejection;

pub use self::php::{PhpForm, PhpQuery};
pub use self::rejection::{PhpFormRejection, PhpQueryRejection};
