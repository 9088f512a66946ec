//! [`UploadStatus`]: PHP's upload status codes, as RoadRunner reports them.

/// PHP's upload status codes, as RoadRunner reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadStatus {
    /// 0: the file arrived.
    Ok,
    /// 4: the part could not be read.
    NoFile,
    /// 6: rr could not create the temp file.
    NoTmpDir,
    /// 7: rr could not write the temp file.
    CantWrite,
    /// 8: the extension is forbidden by `http.uploads.forbid`/`allow`.
    Extension,
    /// Any other code (PHP's 1, 2, 3 are never produced by rr).
    Other(u8),
}

impl UploadStatus {
    /// PHP's numeric code (`UPLOAD_ERR_*`).
    ///
    /// ```
    /// assert_eq!(rr_http::UploadStatus::Extension.code(), 8);
    /// ```
    pub fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::NoFile => 4,
            Self::NoTmpDir => 6,
            Self::CantWrite => 7,
            Self::Extension => 8,
            Self::Other(code) => code,
        }
    }

    pub(super) fn from_code(code: u64) -> Self {
        match code {
            0 => Self::Ok,
            4 => Self::NoFile,
            6 => Self::NoTmpDir,
            7 => Self::CantWrite,
            8 => Self::Extension,
            other => Self::Other(u8::try_from(other).unwrap_or(u8::MAX)),
        }
    }
}

impl std::fmt::Display for UploadStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Self::Ok => "uploaded",
            Self::NoFile => "no file was received",
            Self::NoTmpDir => "the server could not create a temp file",
            Self::CantWrite => "the server could not write the temp file",
            Self::Extension => "the file extension is not allowed",
            Self::Other(_) => "upload error",
        };
        write!(f, "{text} (code {})", self.code())
    }
}
