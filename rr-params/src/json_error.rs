//! [`JsonError`]: bytes that are not the JSON tree [`Params::from_json_bytes`](crate::Params::from_json_bytes) expects.

/// Bytes are not JSON: from [`Params::from_json_bytes`](crate::Params::from_json_bytes).
/// Opaque (serde_json's error type is not part of this crate's API); ask it what went wrong.
///
/// ```
/// use rr_params::Params;
///
/// let err = Params::from_json_bytes(b"{\"a\": oops}").unwrap_err();
/// assert!(err.is_syntax());
/// assert_eq!((err.line(), err.column()), (1, 7));
/// assert!(err.to_string().starts_with("not valid JSON for the expected type: "), "{err}");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("not valid JSON for the expected type: {0}")]
pub struct JsonError(serde_json::Error);

impl From<serde_json::Error> for JsonError {
    /// Wraps a serde_json error (what crates that read JSON next to a [`Params`](crate::Params)
    /// tree, such as rr-http's `RequestExt::json`, report it as).
    fn from(e: serde_json::Error) -> Self {
        Self(e)
    }
}

impl JsonError {
    /// The bytes are not JSON at all.
    ///
    /// ```
    /// let err = rr_params::Params::from_json_bytes(b"{x").unwrap_err();
    /// assert!(err.is_syntax() && !err.is_eof());
    /// ```
    pub fn is_syntax(&self) -> bool {
        self.0.is_syntax()
    }

    /// The JSON is well formed but does not fit the expected type.
    ///
    /// ```
    /// let err = serde_json::from_str::<Vec<u8>>("[300]").unwrap_err();
    /// assert!(rr_params::JsonError::from(err).is_data());
    /// ```
    pub fn is_data(&self) -> bool {
        self.0.is_data()
    }

    /// The bytes end in the middle of a JSON value.
    ///
    /// ```
    /// let err = rr_params::Params::from_json_bytes(b"[1,").unwrap_err();
    /// assert!(err.is_eof());
    /// ```
    pub fn is_eof(&self) -> bool {
        self.0.is_eof()
    }

    /// The line (from 1) where the error was found.
    ///
    /// ```
    /// let err = rr_params::Params::from_json_bytes(b"{\n  x").unwrap_err();
    /// assert_eq!(err.line(), 2);
    /// ```
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The column (from 1) where the error was found.
    ///
    /// ```
    /// let err = rr_params::Params::from_json_bytes(b"{x").unwrap_err();
    /// assert_eq!(err.column(), 2);
    /// ```
    pub fn column(&self) -> usize {
        self.0.column()
    }
}
