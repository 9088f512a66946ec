//! [`IntoResponse`]: what a handler may return, and how each kind becomes a response.

use http::{Response, StatusCode, header};

use crate::{Body, HttpError};

/// What a handler returns: anything that becomes a response, or a [`HttpError`].
pub trait IntoResponse {
    /// Converts into a response, or into the error to report.
    ///
    /// # Errors
    ///
    /// The handler's error.
    fn into_response(self) -> Result<Response<Body>, HttpError>;
}

impl<B: Into<Body>> IntoResponse for Response<B> {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        Ok(self.map(Into::into))
    }
}

macro_rules! text_response {
    ($($t:ty),*) => {$(
        impl IntoResponse for $t {
            fn into_response(self) -> Result<Response<Body>, HttpError> {
                Ok(text(StatusCode::OK, Body::from(self)))
            }
        }
    )*};
}

text_response!(&'static str, String);

impl IntoResponse for StatusCode {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = self;
        Ok(res)
    }
}

impl<B: Into<Body>> IntoResponse for (StatusCode, B) {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        Ok(text(self.0, self.1.into()))
    }
}

impl<T: IntoResponse, E: Into<HttpError>> IntoResponse for Result<T, E> {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        self.map_err(Into::into)?.into_response()
    }
}

pub(crate) fn text(status: StatusCode, body: Body) -> Response<Body> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}
