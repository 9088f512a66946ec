//! What RoadRunner tells about a request beyond method, URI, headers and body, as typed request
//! extensions, and [`RequestExt`], the accessors that read them.

use std::sync::OnceLock;

use http::Request;
use serde::de::DeserializeOwned;

use crate::params::{Params, ParamsError, QueryLimits};
use crate::query_log::parse_logged;
use crate::uploads::Uploads;
use crate::{Body, FormError, JsonError};

pub use crate::request_data::{Attributes, Cookies, ParsedForm, Protocol, RawQuery, RemoteAddr};

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
    ///
    /// ```
    /// use rr_http::{Body, RemoteAddr, RequestExt};
    ///
    /// let req = http::Request::builder().extension(RemoteAddr("10.0.0.7".into())).body(Body::empty())?;
    /// assert_eq!(req.remote_addr().and_then(|a| a.ip()), "10.0.0.7".parse().ok());
    /// # Ok::<(), http::Error>(())
    /// ```
    fn remote_addr(&self) -> Option<&RemoteAddr>;
    /// The cookies RoadRunner parsed (empty when there are none).
    ///
    /// ```
    /// use rr_http::{Body, Cookies, RequestExt};
    ///
    /// let cookies: Cookies = [("sid", "abc"), ("theme", "dark")].into_iter().collect();
    /// let req = http::Request::builder().extension(cookies).body(Body::empty())?;
    /// assert_eq!(req.cookies().len(), 2);
    /// assert!(http::Request::new(Body::empty()).cookies().is_empty());
    /// # Ok::<(), http::Error>(())
    /// ```
    fn cookies(&self) -> &Cookies;
    /// One cookie's value.
    ///
    /// ```
    /// use rr_http::{Body, Cookies, RequestExt};
    ///
    /// let cookies: Cookies = [("sid", "abc")].into_iter().collect();
    /// let req = http::Request::builder().extension(cookies).body(Body::empty())?;
    /// assert_eq!((req.cookie("sid"), req.cookie("other")), (Some("abc"), None));
    /// # Ok::<(), http::Error>(())
    /// ```
    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies().get(name)
    }
    /// Attributes set by RoadRunner middleware (empty when there are none).
    ///
    /// ```
    /// use rr_http::{Attributes, Body, RequestExt};
    ///
    /// let attrs: Attributes = [("tenant", vec!["acme"])].into_iter().collect();
    /// let req = http::Request::builder().extension(attrs).body(Body::empty())?;
    /// assert_eq!(req.attributes().get("tenant"), Some("acme"));
    /// # Ok::<(), http::Error>(())
    /// ```
    fn attributes(&self) -> &Attributes;
    /// Files uploaded with a multipart form (empty when there are none).
    ///
    /// ```
    /// use rr_http::{Body, RequestExt, Uploads};
    ///
    /// let uploads = Uploads::from_server_json(br#"{"f":{"name":"a.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u"}}"#);
    /// let req = http::Request::builder().extension(uploads).body(Body::empty())?;
    /// assert_eq!(req.uploads().files().len(), 1);
    /// assert!(http::Request::new(Body::empty()).uploads().is_empty());
    /// # Ok::<(), http::Error>(())
    /// ```
    fn uploads(&self) -> &Uploads;
    /// The query string parsed the way PHP's `parse_str` does (`a[]=1&a[]=2`, `a[b][c]=1`),
    /// under PHP's limits of 1000 variables and 64 levels unless a
    /// [`QueryLimits`](crate::params::QueryLimits) request extension or
    /// [`QueryLimits::set_global`](crate::params::QueryLimits::set_global) says otherwise. The
    /// first request over a limit is logged (one line on stderr, per limit and process).
    ///
    /// ```
    /// use rr_http::{Body, RequestExt, params::QueryLimits};
    ///
    /// let mut req = http::Request::builder().uri("/?a=1&b=2&c=3").body(Body::empty())?;
    /// assert_eq!(req.query().len(), 3);
    /// req.extensions_mut().insert(QueryLimits::PHP.with_max_input_vars(2));
    /// assert_eq!(req.query().len(), 2); // and "rr-http: a query string had more than 2 variables…" on stderr
    /// # Ok::<(), http::Error>(())
    /// ```
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
    /// ```
    /// use rr_http::{Body, RequestExt};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Page { page: u32 }
    ///
    /// let req = http::Request::builder().uri("/?page=3").body(Body::empty())?;
    /// assert_eq!(req.query_as::<Page>()?.page, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// ```
    /// use rr_http::{Body, ParsedForm, RequestExt};
    ///
    /// // What rr sends for `a=1&b[]=x`: a JSON tree, marked as a parsed form.
    /// let req = http::Request::builder()
    ///     .extension(ParsedForm)
    ///     .body(Body::from(r#"{"a":"1","b":["x"]}"#))?;
    /// let form = req.form()?.unwrap();
    /// assert_eq!(form.get("a").and_then(|a| a.as_str()), Some("1"));
    /// assert!(http::Request::new(Body::from("a=1")).form()?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FormError::Json`] when the server's tree is not valid JSON.
    fn form(&self) -> Result<Option<Params>, FormError>;
    /// The form deserialised into `T`.
    ///
    /// ```
    /// use rr_http::{Body, ParsedForm, RequestExt};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Row { name: String }
    /// #[derive(serde::Deserialize)]
    /// struct Form { rows: Vec<Row> }
    ///
    /// // rr sends `rows[0][name]=a&rows[1][name]=b` with its keys sorted as text.
    /// let req = http::Request::builder()
    ///     .extension(ParsedForm)
    ///     .body(Body::from(r#"{"rows":{"0":{"name":"a"},"1":{"name":"b"}}}"#))?;
    /// let form: Form = req.form_as()?;
    /// assert_eq!(form.rows[1].name, "b");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// ```
    /// use rr_http::{Body, RequestExt};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Item { id: u32 }
    ///
    /// let req = http::Request::new(Body::from(r#"{"id":7}"#));
    /// assert_eq!(req.json::<Item>()?.id, 7);
    /// # Ok::<(), rr_http::JsonError>(())
    /// ```
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
        let limits = self
            .extensions()
            .get::<QueryLimits>()
            .copied()
            .unwrap_or_else(QueryLimits::global);
        match self.extensions().get::<RawQuery>() {
            Some(raw) => parse_logged(&limits, &raw.0),
            None => parse_logged(&limits, self.uri().query().unwrap_or("")),
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
        // An empty form arrives as an empty body (`docs/http.md`), which reads as an empty map.
        Ok(Some(
            Params::from_json_bytes(body).map_err(|e| FormError::Json(e.into()))?,
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
    fn cookies_in_one_string_give_back_every_pair() {
        let pairs = [
            ("sid", "a b"),
            ("", "empty name"),
            ("e", ""),
            ("ü", "ß€"),
            ("sid", "2"),
        ];
        let cookies: Cookies = pairs.into_iter().collect();
        assert_eq!(cookies.iter().collect::<Vec<_>>(), pairs);
        assert_eq!(
            (cookies.len(), cookies.get("e"), cookies.get("ü")),
            (5, Some(""), Some("ß€"))
        );
        assert_eq!(cookies.get("sid"), Some("a b"), "the first of a name");
        assert_eq!(format!("{cookies:?}").matches("\"sid\"").count(), 2);
        assert!(Cookies::new(Vec::new()).is_empty());
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
