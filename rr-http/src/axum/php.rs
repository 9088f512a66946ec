//! [`PhpQuery`] and [`PhpForm`]: axum extractors with PHP's bracket syntax (`a[]=1`,
//! `a[b][c]=1`), the semantics of [`RequestExt::query_as`](crate::RequestExt::query_as) and
//! [`RequestExt::form_as`](crate::RequestExt::form_as).

use axum_core::RequestExt as _;
use axum_core::extract::{FromRequest, FromRequestParts, Request};
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Uri, header};
use serde::de::DeserializeOwned;

use super::rejection::{FormRejection, PhpFormRejection, PhpQueryRejection};
use crate::params::{Params, parse_query};
use crate::tower::FormTree;
use crate::{ParsedForm, RawQuery};

/// The query string deserialised into `T`, parsed the way PHP's `parse_str` does: `tags[]=a`
/// appends, `filter[status]=open` nests, integer keys make lists. It reads rr's raw query
/// ([`RawQuery`]), so bytes `http::Uri` would have re-encoded arrive as the client sent them.
///
/// ```no_run
/// use axum::{Router, routing::get};
/// use rr_http::axum::PhpQuery;
///
/// #[derive(serde::Deserialize)]
/// struct Search { tags: Vec<String>, page: Option<u32> }
///
/// async fn search(PhpQuery(search): PhpQuery<Search>) -> String {
///     format!("{} tags, page {}", search.tags.len(), search.page.unwrap_or(1))
/// }
///
/// rr_http::serve_service(Router::new().route("/search", get(search)))?;
/// # Ok::<(), rr_http::Error>(())
/// ```
///
/// A value that does not fit is a [`PhpQueryRejection`] (400).
#[derive(Debug, Clone, Copy, Default)]
pub struct PhpQuery<T>(pub T);

impl<T: DeserializeOwned> PhpQuery<T> {
    /// Deserialises the query of `uri` (the URI's query, without rr's [`RawQuery`]).
    ///
    /// ```
    /// use rr_http::axum::PhpQuery;
    ///
    /// let uri = "/list?ids[]=3&ids[]=5".parse()?;
    /// let PhpQuery(ids) = PhpQuery::<std::collections::HashMap<String, Vec<u8>>>::try_from_uri(&uri)?;
    /// assert_eq!(ids["ids"], [3, 5]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PhpQueryRejection`] naming the parameter that does not fit `T`.
    pub fn try_from_uri(uri: &Uri) -> Result<Self, PhpQueryRejection> {
        Self::from_raw(uri.query().unwrap_or_default())
    }

    fn from_raw(raw: &str) -> Result<Self, PhpQueryRejection> {
        parse_query(raw)
            .deserialize()
            .map(Self)
            .map_err(PhpQueryRejection)
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PhpQuery<T> {
    type Rejection = PhpQueryRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PhpQueryRejection> {
        match parts.extensions.get::<RawQuery>() {
            Some(raw) => Self::from_raw(&raw.0),
            None => Self::try_from_uri(&parts.uri),
        }
    }
}

/// A urlencoded or multipart form deserialised into `T`, with PHP's bracket syntax
/// (`rows[0][name]=a`), under either `http.raw_body` setting:
///
/// * `raw_body: false` (rr's default): rr parsed the form and sent its field tree; `PhpForm`
///   reads that tree. Files are in [`Uploads`](crate::Uploads) (an extractor too).
/// * `raw_body: true`: `PhpForm` parses the body itself, urlencoded the way PHP's `parse_str`
///   does; of a multipart body it takes the fields and skips the files (read those with
///   axum's `Multipart`).
///
/// ```no_run
/// use axum::{Router, routing::post};
/// use rr_http::{Uploads, axum::PhpForm};
///
/// #[derive(serde::Deserialize)]
/// struct Row { name: String }
/// #[derive(serde::Deserialize)]
/// struct Sheet { title: String, rows: Vec<Row> }
///
/// async fn save(uploads: Uploads, PhpForm(sheet): PhpForm<Sheet>) -> String {
///     format!("{}: {} rows, {} files", sheet.title, sheet.rows.len(), uploads.files().len())
/// }
///
/// rr_http::serve_service(Router::new().route("/sheet", post(save)))?;
/// # Ok::<(), rr_http::Error>(())
/// ```
///
/// A request that is not a form, or a field that does not fit, is a [`PhpFormRejection`].
/// Like axum's `Form`, `PhpForm` reads the body, so it comes last among a handler's arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhpForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PhpForm<T> {
    type Rejection = PhpFormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, PhpFormRejection> {
        let params = form_params(req, state).await.map_err(PhpFormRejection)?;
        params
            .deserialize()
            .map(Self)
            .map_err(|e| PhpFormRejection(FormRejection::Fields(e)))
    }
}

async fn form_params<S: Send + Sync>(req: Request, state: &S) -> Result<Params, FormRejection> {
    // rr parsed the body: the tower path kept its tree apart, or (a request built by hand
    // with the marker) the body is the tree.
    if let Some(tree) = req.extensions().get::<FormTree>() {
        return tree_params(&tree.0);
    }
    if req.extensions().get::<ParsedForm>().is_some() {
        return tree_params(&body_bytes(req, state).await?);
    }
    match form_kind(req.headers()) {
        Some(FormKind::Urlencoded) => {
            let bytes = body_bytes(req, state).await?;
            Ok(parse_query(&String::from_utf8_lossy(&bytes)))
        }
        Some(FormKind::BadMultipart(e)) => Err(FormRejection::Multipart(e)),
        Some(FormKind::Multipart(boundary)) => {
            let body = req.with_limited_body().into_body();
            super::multipart::fields(body.into_data_stream(), boundary).await
        }
        None => Err(FormRejection::NotAForm),
    }
}

fn tree_params(tree: &[u8]) -> Result<Params, FormRejection> {
    Params::from_json_bytes(tree).map_err(|e| FormRejection::Tree(crate::JsonError::from(e).into()))
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, FormRejection> {
    Bytes::from_request(req, state)
        .await
        .map_err(FormRejection::Body)
}

enum FormKind {
    Urlencoded,
    Multipart(String),
    BadMultipart(multer::Error),
}

/// The form a `Content-Type` announces. rr decides the same way, by "contains" (http.md §4.2).
fn form_kind(headers: &HeaderMap) -> Option<FormKind> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let lower = content_type.to_ascii_lowercase();
    if lower.contains("application/x-www-form-urlencoded") {
        return Some(FormKind::Urlencoded);
    }
    if lower.contains("multipart/form-data") {
        return Some(match multer::parse_boundary(content_type) {
            Ok(boundary) => FormKind::Multipart(boundary),
            Err(e) => FormKind::BadMultipart(e),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum_core::body::Body;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Row {
        name: String,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Sheet {
        title: String,
        rows: Vec<Row>,
    }

    fn rows(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a{i}")).collect()
    }

    fn names(sheet: &Sheet) -> Vec<String> {
        sheet.rows.iter().map(|r| r.name.clone()).collect()
    }

    #[tokio::test]
    async fn raw_urlencoded_bodies_parse_like_parse_str() {
        let mut body = "title=t%C3%BC".to_owned();
        for i in 0..12 {
            body.push_str(&format!("&rows[{i}][name]=a{i}"));
        }
        let req = http::Request::post("/")
            .header(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(Body::from(body))
            .unwrap();
        let PhpForm(sheet) = PhpForm::<Sheet>::from_request(req, &()).await.unwrap();
        assert_eq!(sheet.title, "tü");
        assert_eq!(names(&sheet), rows(12));
    }

    #[tokio::test]
    async fn the_tree_rr_sent_is_read_from_the_extension_or_the_body() {
        let tree = r#"{"title":"t","rows":[{"name":"a0"},{"name":"a1"}]}"#;
        let req = http::Request::post("/")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .extension(ParsedForm)
            .extension(FormTree(Bytes::from_static(tree.as_bytes())))
            .body(Body::from("this body is not read"))
            .unwrap();
        let PhpForm(sheet) = PhpForm::<Sheet>::from_request(req, &()).await.unwrap();
        assert_eq!(names(&sheet), rows(2));

        let req = http::Request::post("/")
            .extension(ParsedForm)
            .body(Body::from(tree))
            .unwrap();
        let PhpForm(sheet) = PhpForm::<Sheet>::from_request(req, &()).await.unwrap();
        assert_eq!(sheet.title, "t");

        let req = http::Request::post("/")
            .extension(ParsedForm)
            .body(Body::from("{oops"))
            .unwrap();
        let rejection = PhpForm::<Sheet>::from_request(req, &()).await.unwrap_err();
        assert_eq!(rejection.status(), 500);
    }

    #[tokio::test]
    async fn the_query_comes_from_rr_raw_query_first() {
        let req = http::Request::get("/?q=%22")
            .extension(RawQuery("q=\"&ids[]=1".into()))
            .body(())
            .unwrap();
        let (mut parts, ()) = req.into_parts();
        let PhpQuery(q) =
            PhpQuery::<std::collections::HashMap<String, serde_json::Value>>::from_request_parts(
                &mut parts,
                &(),
            )
            .await
            .unwrap();
        assert_eq!(q["q"], "\"");
        assert_eq!(q["ids"], serde_json::json!(["1"]));
    }

    #[test]
    fn form_kind_follows_rr_contains_rule() {
        let mut headers = HeaderMap::new();
        assert!(form_kind(&headers).is_none());
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(form_kind(&headers).is_none());
        headers.insert(
            header::CONTENT_TYPE,
            "Multipart/Form-Data; boundary=xyz".parse().unwrap(),
        );
        assert!(matches!(form_kind(&headers), Some(FormKind::Multipart(b)) if b == "xyz"));
        headers.insert(header::CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        assert!(matches!(
            form_kind(&headers),
            Some(FormKind::BadMultipart(multer::Error::NoBoundary))
        ));
    }
}
