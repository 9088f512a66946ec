//! Files uploaded through RoadRunner: the `uploads` tree and safe moves out of rr's temp dir.
//!
//! RoadRunner writes each uploaded file to its temp directory before the worker sees the
//! request, describes them in a JSON tree (`docs/http.md`, "Uploads"), and deletes them once the
//! response is finished. Move the ones you keep before responding.

mod file;
mod name;
mod node;
mod status;
mod tree;

pub use self::file::{UploadError, UploadedFile};
pub use self::status::UploadStatus;
pub use self::tree::{UploadNode, Uploads};

#[cfg(test)]
pub(crate) mod fixtures {
    /// An uploads tree in the shape `docs/http.md` describes.
    pub(crate) const TREE: &str = r#"{"avatar":{"name":"me.png","mime":"image/png","size":1024,"error":0,"tmpName":"/tmp/upload1"},"docs":[{"name":"a.pdf","mime":"application/pdf","size":10,"error":0,"tmpName":"/tmp/upload2"},{"name":"shell.php","mime":"application/x-php","size":0,"error":8,"tmpName":""}],"meta":{"a":{"b":{"name":"c\u003c1\u003e.txt","mime":"","size":3,"error":0,"tmpName":"/tmp/upload3"}}}}"#;
}
