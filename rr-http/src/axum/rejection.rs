//! Why [`PhpQuery`](super::PhpQuery) or [`PhpForm`](super::PhpForm) refused a request: opaque
//! errors with the status and text they answer with, like axum's own rejections.

use std::fmt;

use axum_core::extract::rejection::BytesRejection;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;

use crate::BoxError;
use crate::params::ParamsError;

/// [`PhpQuery`](super::PhpQuery) could not deserialise the query string: 400 Bad Request.
///
/// ```
/// use axum::response::IntoResponse;
/// use rr_http::axum::PhpQuery;
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Page { page: u32 }
///
/// let req = http::Request::builder().uri("/?page=x").body(())?;
/// let rejection = PhpQuery::<Page>::try_from_uri(req.uri()).unwrap_err();
/// assert_eq!(rejection.status(), 400);
/// assert_eq!(rejection.params_error().path(), "page");
/// assert_eq!(rejection.into_response().status(), 400);
/// # Ok::<(), http::Error>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[error("Failed to deserialize query string: {0}")]
pub struct PhpQueryRejection(pub(super) ParamsError);

impl PhpQueryRejection {
    /// The status it answers with: 400.
    ///
    /// ```
    /// # let rejection = rr_http::axum::PhpQuery::<u8>::try_from_uri(&"/?x=1".parse()?).unwrap_err();
    /// assert_eq!(rejection.status(), http::StatusCode::BAD_REQUEST);
    /// # Ok::<(), http::uri::InvalidUri>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    /// The text of the response body.
    ///
    /// ```
    /// # let rejection = rr_http::axum::PhpQuery::<u8>::try_from_uri(&"/?x=1".parse()?).unwrap_err();
    /// assert!(rejection.body_text().starts_with("Failed to deserialize query string"));
    /// # Ok::<(), http::uri::InvalidUri>(())
    /// ```
    pub fn body_text(&self) -> String {
        self.to_string()
    }

    /// Which parameter did not fit, and why.
    ///
    /// ```
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Filter { ids: Vec<u32> }
    /// let uri = "/?ids[]=1&ids[]=x".parse()?;
    /// let rejection = rr_http::axum::PhpQuery::<Filter>::try_from_uri(&uri).unwrap_err();
    /// assert_eq!(rejection.params_error().path(), "ids[1]");
    /// # Ok::<(), http::uri::InvalidUri>(())
    /// ```
    pub fn params_error(&self) -> &ParamsError {
        &self.0
    }
}

impl IntoResponse for PhpQueryRejection {
    fn into_response(self) -> Response {
        (self.status(), self.body_text()).into_response()
    }
}

/// [`PhpForm`](super::PhpForm) could not read the form: the status says whose fault it is
/// (415 not a form, 400/413 a body that cannot be read, 422 a field that does not fit,
/// 500 a form tree from rr that is not JSON).
///
/// ```
/// use axum::extract::FromRequest;
/// use rr_http::axum::PhpForm;
///
/// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
/// let req = http::Request::post("/").body(axum::body::Body::from("{}"))?;
/// let rejection = PhpForm::<Vec<String>>::from_request(req, &()).await.unwrap_err();
/// assert_eq!(rejection.status(), 415);
/// assert!(rejection.params_error().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct PhpFormRejection(pub(super) FormRejection);

#[derive(Debug, thiserror::Error)]
pub(super) enum FormRejection {
    #[error(
        "Expected a form: Content-Type application/x-www-form-urlencoded or multipart/form-data \
         (PhpQuery reads the query string)"
    )]
    NotAForm,
    #[error(transparent)]
    Body(BytesRejection),
    #[error("Failed to read the multipart/form-data body: {0}")]
    Multipart(multer::Error),
    #[error("The form tree sent by RoadRunner is not JSON: {0}")]
    Tree(BoxError),
    #[error("Failed to deserialize form body: {0}")]
    Fields(ParamsError),
}

impl PhpFormRejection {
    /// The status it answers with.
    ///
    /// ```
    /// # use axum::extract::FromRequest;
    /// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
    /// let req = http::Request::post("/")
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(axum::body::Body::from("page=x"))?;
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Page { page: u32 }
    /// let rejection = rr_http::axum::PhpForm::<Page>::from_request(req, &()).await.unwrap_err();
    /// assert_eq!(rejection.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        match &self.0 {
            FormRejection::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FormRejection::Body(e) => e.status(),
            FormRejection::Multipart(
                multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. },
            ) => StatusCode::PAYLOAD_TOO_LARGE,
            FormRejection::Multipart(_) => StatusCode::BAD_REQUEST,
            FormRejection::Tree(_) => StatusCode::INTERNAL_SERVER_ERROR,
            FormRejection::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The text of the response body.
    ///
    /// ```
    /// # use axum::extract::FromRequest;
    /// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
    /// let req = http::Request::get("/").body(axum::body::Body::empty())?;
    /// let rejection = rr_http::axum::PhpForm::<()>::from_request(req, &()).await.unwrap_err();
    /// assert!(rejection.body_text().contains("PhpQuery"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body_text(&self) -> String {
        match &self.0 {
            FormRejection::Body(e) => e.body_text(),
            other => other.to_string(),
        }
    }

    /// The field that did not fit the target type, when that is why.
    ///
    /// ```
    /// # use axum::extract::FromRequest;
    /// # tokio::runtime::Builder::new_current_thread().build()?.block_on(async {
    /// let req = http::Request::post("/")
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(axum::body::Body::from("ids[]=1&ids[]=x"))?;
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Ids { ids: Vec<u32> }
    /// let rejection = rr_http::axum::PhpForm::<Ids>::from_request(req, &()).await.unwrap_err();
    /// assert_eq!(rejection.params_error().map(|e| e.path()).as_deref(), Some("ids[1]"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn params_error(&self) -> Option<&ParamsError> {
        match &self.0 {
            FormRejection::Fields(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for PhpFormRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body_text())
    }
}

impl std::error::Error for PhpFormRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            FormRejection::Body(e) => Some(e),
            FormRejection::Multipart(e) => Some(e),
            FormRejection::Tree(e) => Some(e.as_ref()),
            FormRejection::Fields(e) => Some(e),
            FormRejection::NotAForm => None,
        }
    }
}

impl IntoResponse for PhpFormRejection {
    fn into_response(self) -> Response {
        (self.status(), self.body_text()).into_response()
    }
}
