//! What RoadRunner tells about a request beyond method, URI, headers and body, as typed request
//! extensions, and [`RequestExt`], the accessors that read them.

use std::net::IpAddr;
use std::sync::OnceLock;

use http::Request;
use serde::de::DeserializeOwned;

use crate::params::{Params, ParamsError, parse_query};
use crate::uploads::Uploads;
use crate::{Body, FormError, JsonError};

/// The client's address as RoadRunner reports it: an IP without port, possibly rewritten by
/// rr's `proxy_ip_parser` middleware from `X-Forwarded-For` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAddr(pub String);

impl RemoteAddr {
    /// The address as RoadRunner sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address parsed as an IP, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.0.parse().ok()
    }
}

/// The query string exactly as the client sent it (no `?`, not decoded). [`RequestExt::query`]
/// parses this rather than the URI's query, which may have had bytes percent-encoded to fit
/// `http::Uri`; [`RequestExt::raw_query`] returns it.
///
/// Every request from RoadRunner carries one. Insert it yourself when building a request by
/// hand, e.g. in a test:
///
/// ```
/// use rr_http::{Body, RawQuery, RequestExt};
///
/// let req = http::Request::builder()
///     .uri("/search?q=%22rust%22")
///     .extension(RawQuery(r#"q="rust""#.into()))
///     .body(Body::empty())?;
/// assert_eq!(req.uri().query(), Some("q=%22rust%22"));
/// assert_eq!(req.raw_query(), r#"q="rust""#);
/// # Ok::<(), http::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawQuery(pub String);

/// The protocol string as RoadRunner reports it, e.g. `HTTP/1.1`, `HTTP/2.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol(pub String);

/// Marks a request whose body is the server-built JSON tree of a urlencoded or multipart form
/// (RoadRunner's `parsed` flag). Read it with [`RequestExt::form`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedForm;

/// The cookies RoadRunner parsed from the `Cookie` header, values URL-decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cookies(Vec<(String, String)>);

impl Cookies {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The value of cookie `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every cookie as `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many cookies there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl serde::Serialize for Cookies {
    /// As a map of name to value.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Attributes attached to the request by RoadRunner middleware; each may hold several values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes(Vec<(String, Vec<String>)>);

impl Attributes {
    pub(crate) fn new(pairs: Vec<(String, Vec<String>)>) -> Self {
        Self(pairs)
    }

    /// All values of attribute `name`.
    pub fn get_all(&self, name: &str) -> &[String] {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The first value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).first().map(String::as_str)
    }

    /// Every attribute as `(name, values)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl serde::Serialize for Attributes {
    /// As a map of name to the list of values.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Typed access to what RoadRunner sent with a request.
///
/// ```
/// use rr_http::RequestExt;
///
/// # let req = http::Request::builder().uri("/search?tags[]=a&tags[]=b&page=2").body(rr_http::Body::empty())?;
/// #[derive(serde::Deserialize)]
/// struct Search { tags: Vec<String>, page: u32 }
///
/// let search: Search = req.query_as()?;
/// assert_eq!((search.tags, search.page), (vec!["a".to_owned(), "b".to_owned()], 2));
/// assert_eq!(req.query().get("page").and_then(|p| p.as_str()), Some("2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait RequestExt {
    /// The client's address (see [`RemoteAddr`]).
    fn remote_addr(&self) -> Option<&RemoteAddr>;
    /// The cookies RoadRunner parsed.
    fn cookies(&self) -> &Cookies;
    /// One cookie's value.
    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies().get(name)
    }
    /// Attributes set by RoadRunner middleware.
    fn attributes(&self) -> &Attributes;
    /// Files uploaded with a multipart form (empty when there are none).
    fn uploads(&self) -> &Uploads;
    /// The query string parsed the way PHP's `parse_str` does (`a[]=1&a[]=2`, `a[b][c]=1`).
    fn query(&self) -> Params;
    /// The query string as RoadRunner sent it: no leading `?`, nothing decoded, bytes that
    /// `http::Uri` would have percent-encoded left as the client wrote them. Empty when the
    /// request has no [`RawQuery`] extension (a request built by hand); read
    /// `req.uri().query()` there.
    ///
    /// ```
    /// use rr_http::{Body, RawQuery, RequestExt};
    ///
    /// let mut req = http::Request::builder()
    ///     .uri("/list?sort=-date&tags[]=a%20b")
    ///     .body(Body::empty())?;
    /// assert_eq!(req.raw_query(), "");
    ///
    /// req.extensions_mut().insert(RawQuery("sort=-date&tags[]=a%20b".into()));
    /// assert_eq!(req.raw_query(), "sort=-date&tags[]=a%20b");
    /// // `query` parses that same string, and decodes it.
    /// let query = req.query();
    /// assert_eq!(query.get_path(&["tags", "0"]).and_then(|t| t.as_str()), Some("a b"));
    /// # Ok::<(), http::Error>(())
    /// ```
    fn raw_query(&self) -> &str;
    /// The query deserialised into `T`.
    ///
    /// # Errors
    ///
    /// [`ParamsError`] naming the field that did not fit.
    fn query_as<T: DeserializeOwned>(&self) -> Result<T, ParamsError> {
        self.query().deserialize()
    }
    /// The fields of a urlencoded or multipart form, when RoadRunner parsed the body into a
    /// form tree (`None` otherwise, e.g. for JSON bodies or with `http.raw_body: true`).
    ///
    /// # Errors
    ///
    /// [`FormError::Json`] when the server's tree is not valid JSON.
    fn form(&self) -> Result<Option<Params>, FormError>;
    /// The form deserialised into `T`.
    ///
    /// # Errors
    ///
    /// [`FormError::NotAForm`] when the body is not a parsed form (a handler's `?` answers
    /// 415), [`FormError::Params`] when a field does not fit `T` (400).
    fn form_as<T: DeserializeOwned>(&self) -> Result<T, FormError> {
        let form = self.form()?.ok_or(FormError::NotAForm)?;
        Ok(form.deserialize()?)
    }
    /// The body deserialised from JSON.
    ///
    /// # Errors
    ///
    /// [`JsonError`] when the body is not JSON for `T` (a handler's `?` answers it with 400,
    /// or 422 when well-formed JSON does not fit `T`).
    fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError>;
}

/// A request body whose bytes are in memory: what [`RequestExt::form`] and
/// [`RequestExt::json`] read. Implemented for [`Body`] (a streamed body reads as empty), and for
/// `Bytes`, `Vec<u8>`, `String` and `()`, so the accessors also work on a request whose body
/// another framework has already collected.
pub trait BodyBytes {
    /// The body's bytes.
    fn body_bytes(&self) -> &[u8];
}

impl BodyBytes for Body {
    fn body_bytes(&self) -> &[u8] {
        self.as_bytes().map_or(&[], |b| &b[..])
    }
}

impl BodyBytes for bytes::Bytes {
    fn body_bytes(&self) -> &[u8] {
        self
    }
}

impl BodyBytes for Vec<u8> {
    fn body_bytes(&self) -> &[u8] {
        self
    }
}

impl BodyBytes for String {
    fn body_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl BodyBytes for () {
    fn body_bytes(&self) -> &[u8] {
        &[]
    }
}

fn empty<T: Default + Send + Sync + 'static>(cell: &'static OnceLock<T>) -> &'static T {
    cell.get_or_init(T::default)
}

impl<B: BodyBytes> RequestExt for Request<B> {
    fn remote_addr(&self) -> Option<&RemoteAddr> {
        self.extensions().get()
    }

    fn cookies(&self) -> &Cookies {
        static NONE: OnceLock<Cookies> = OnceLock::new();
        self.extensions().get().unwrap_or_else(|| empty(&NONE))
    }

    fn attributes(&self) -> &Attributes {
        static NONE: OnceLock<Attributes> = OnceLock::new();
        self.extensions().get().unwrap_or_else(|| empty(&NONE))
    }

    fn uploads(&self) -> &Uploads {
        static NONE: OnceLock<Uploads> = OnceLock::new();
        self.extensions().get().unwrap_or_else(|| empty(&NONE))
    }

    fn raw_query(&self) -> &str {
        self.extensions()
            .get::<RawQuery>()
            .map_or("", |raw| raw.0.as_str())
    }

    fn query(&self) -> Params {
        match self.extensions().get::<RawQuery>() {
            Some(raw) => parse_query(&raw.0),
            None => parse_query(self.uri().query().unwrap_or("")),
        }
    }

    fn form(&self) -> Result<Option<Params>, FormError> {
        if self.extensions().get::<ParsedForm>().is_none() {
            return Ok(None);
        }
        // The tower path keeps the tree apart from the body (see `tower::prepare`).
        #[cfg(feature = "tower")]
        let body = self
            .extensions()
            .get::<crate::tower::FormTree>()
            .map_or_else(|| self.body().body_bytes(), |tree| &tree.0[..]);
        #[cfg(not(feature = "tower"))]
        let body = self.body().body_bytes();
        // An empty form arrives as an empty body (http.md §4.2), which reads as an empty map.
        Ok(Some(
            Params::from_json_bytes(body).map_err(FormError::Json)?,
        ))
    }

    fn json<T: DeserializeOwned>(&self) -> Result<T, JsonError> {
        serde_json::from_slice(self.body().body_bytes()).map_err(JsonError::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_work_on_collected_bodies_too() {
        let req = Request::builder()
            .uri("/?a[]=1")
            .body(bytes::Bytes::from_static(br#"{"k":2}"#))
            .unwrap();
        assert_eq!(req.query().get("a").map(Params::len), Some(1));
        let v: serde_json::Value = req.json().unwrap();
        assert_eq!(v["k"], 2);
        assert!(
            req.form().unwrap().is_none(),
            "no ParsedForm marker, no form"
        );
        let unit = Request::new(());
        assert!(unit.cookies().is_empty());
    }

    #[test]
    fn cookies_and_attributes_serialise_as_maps() {
        let cookies = Cookies::new(vec![("sid".into(), "a b".into()), ("t".into(), "x".into())]);
        assert_eq!(
            serde_json::to_string(&cookies).unwrap(),
            r#"{"sid":"a b","t":"x"}"#
        );
        let attrs = Attributes::new(vec![("role".into(), vec!["admin".into(), "dev".into()])]);
        assert_eq!(
            serde_json::to_string(&attrs).unwrap(),
            r#"{"role":["admin","dev"]}"#
        );
        assert_eq!(attrs.get("role"), Some("admin"));
        assert!(attrs.get_all("none").is_empty());
    }
}
