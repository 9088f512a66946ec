//! The request data RoadRunner sends beyond method, URI, headers and body, as typed request
//! extensions: remote address, raw query, protocol, the parsed-form marker, cookies, attributes.

use std::net::IpAddr;

/// The client's address as RoadRunner reports it: an IP without port, possibly rewritten by
/// rr's `proxy_ip_parser` middleware from `X-Forwarded-For` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAddr(pub String);

impl RemoteAddr {
    /// The address as RoadRunner sent it.
    ///
    /// ```
    /// assert_eq!(rr_http::RemoteAddr("10.0.0.7".into()).as_str(), "10.0.0.7");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address parsed as an IP, when it is one.
    ///
    /// ```
    /// use rr_http::RemoteAddr;
    ///
    /// assert!(RemoteAddr("::1".into()).ip().is_some_and(|ip| ip.is_loopback()));
    /// assert_eq!(RemoteAddr("unknown".into()).ip(), None);
    /// ```
    pub fn ip(&self) -> Option<IpAddr> {
        self.0.parse().ok()
    }
}

/// The query string exactly as the client sent it (no `?`, not decoded). [`RequestExt::query`](crate::RequestExt::query)
/// parses this rather than the URI's query, which may have had bytes percent-encoded to fit
/// `http::Uri`; [`RequestExt::raw_query`](crate::RequestExt::raw_query) returns it.
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
/// (RoadRunner's `parsed` flag). Read it with [`RequestExt::form`](crate::RequestExt::form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedForm;

/// The cookies RoadRunner parsed from the `Cookie` header, values URL-decoded.
///
/// A request from rr carries this extension when it has cookies; read it with
/// [`RequestExt::cookies`](crate::RequestExt::cookies), which is empty otherwise (the tower path
/// always inserts it, for axum's `Extension`).
///
/// All names and values live in one string (two allocations per request, whatever the number
/// of cookies).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Cookies {
    text: String,
    /// Per cookie: where its name ends and its value starts, where its value ends.
    spans: Vec<(usize, usize)>,
}

impl Cookies {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Self {
        pairs.into_iter().collect()
    }

    /// Room for `count` cookies of `bytes` bytes of names and values in all.
    pub(crate) fn with_capacity(count: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            spans: Vec::with_capacity(count),
        }
    }

    /// Adds a cookie after the others.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.text.push_str(name);
        let name_end = self.text.len();
        self.text.push_str(value);
        self.spans.push((name_end, self.text.len()));
    }

    /// The value of cookie `name`.
    ///
    /// ```
    /// let cookies: rr_http::Cookies = [("sid", "abc")].into_iter().collect();
    /// assert_eq!(cookies.get("sid"), Some("abc"));
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Every cookie as `(name, value)`.
    ///
    /// ```
    /// let cookies: rr_http::Cookies = [("a", "1"), ("b", "2")].into_iter().collect();
    /// assert_eq!(cookies.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let starts = std::iter::once(0).chain(self.spans.iter().map(|&(_, end)| end));
        starts.zip(&self.spans).map(|(start, &(name_end, end))| {
            (&self.text[start..name_end], &self.text[name_end..end])
        })
    }

    /// How many cookies there are.
    ///
    /// ```
    /// let cookies: rr_http::Cookies = [("a", "1")].into_iter().collect();
    /// assert_eq!(cookies.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// `true` when there are none.
    ///
    /// ```
    /// assert!(rr_http::Cookies::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

impl std::fmt::Debug for Cookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Cookies {
    /// Cookies from `(name, value)` pairs, e.g. to build a request in a test.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut cookies = Self::default();
        for (k, v) in pairs {
            cookies.push(&k.into(), &v.into());
        }
        cookies
    }
}

impl serde::Serialize for Cookies {
    /// As a map of name to value.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Attributes attached to the request by RoadRunner middleware; each may hold several values.
///
/// A request from rr carries this extension when it has attributes; read it with
/// [`RequestExt::attributes`](crate::RequestExt::attributes), which is empty otherwise (the
/// tower path always inserts it, for axum's `Extension`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes(Vec<(String, Vec<String>)>);

impl Attributes {
    pub(crate) fn new(pairs: Vec<(String, Vec<String>)>) -> Self {
        Self(pairs)
    }

    /// All values of attribute `name`.
    ///
    /// ```
    /// let attrs: rr_http::Attributes = [("role", vec!["admin", "dev"])].into_iter().collect();
    /// assert_eq!(attrs.get_all("role"), ["admin", "dev"]);
    /// assert!(attrs.get_all("none").is_empty());
    /// ```
    pub fn get_all(&self, name: &str) -> &[String] {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The first value of attribute `name`.
    ///
    /// ```
    /// let attrs: rr_http::Attributes = [("role", vec!["admin", "dev"])].into_iter().collect();
    /// assert_eq!(attrs.get("role"), Some("admin"));
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).first().map(String::as_str)
    }

    /// Every attribute as `(name, values)`.
    ///
    /// ```
    /// let attrs: rr_http::Attributes = [("a", vec!["1"])].into_iter().collect();
    /// assert_eq!(attrs.iter().count(), 1);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// `true` when there are none.
    ///
    /// ```
    /// assert!(rr_http::Attributes::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K, V, S> FromIterator<(K, V)> for Attributes
where
    K: Into<String>,
    V: IntoIterator<Item = S>,
    S: Into<String>,
{
    /// Attributes from `(name, values)` pairs, e.g. to build a request in a test.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let pairs = pairs.into_iter();
        Self(
            pairs
                .map(|(k, v)| (k.into(), v.into_iter().map(Into::into).collect()))
                .collect(),
        )
    }
}

impl serde::Serialize for Attributes {
    /// As a map of name to the list of values.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}
