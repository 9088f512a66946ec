//! [`UploadedFile`]: one uploaded file, and moving it out of rr's temp dir safely.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::UploadStatus;
use super::name::sanitize;

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    client_filename: String,
    client_media_type: String,
    size: u64,
    status: UploadStatus,
    tmp_path: Option<PathBuf>,
}

/// A file could not be moved or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// The upload itself failed on the server side.
    #[error("the upload failed on the server: {0}")]
    NotUploaded(UploadStatus),
    /// The destination exists already; nothing was overwritten.
    #[error("{0} exists already")]
    Exists(PathBuf),
    /// The file system refused.
    #[error("moving the uploaded file failed: {0}")]
    Io(#[from] io::Error),
}

impl UploadError {
    /// The status a handler's `?` answers with: 400 when the client's file was refused (a
    /// forbidden extension, a part rr could not read), 500 for the server's own failures
    /// (temp dir, disk, an existing destination).
    ///
    /// ```
    /// use rr_http::{UploadError, UploadStatus};
    ///
    /// let refused = UploadError::NotUploaded(UploadStatus::Extension);
    /// assert_eq!(refused.status(), http::StatusCode::BAD_REQUEST);
    /// let disk = UploadError::Io(std::io::Error::other("disk full"));
    /// assert_eq!(disk.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
    /// ```
    pub fn status(&self) -> http::StatusCode {
        match self {
            Self::NotUploaded(UploadStatus::Extension | UploadStatus::NoFile) => {
                http::StatusCode::BAD_REQUEST
            }
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl UploadedFile {
    pub(super) fn from_json(mut map: Map<String, Value>) -> Self {
        // The strings are moved out of the map, not copied.
        let mut text = |k: &str| match map.remove(k) {
            Some(Value::String(s)) => s,
            _ => String::new(),
        };
        let client_filename = text("name");
        let client_media_type = text("mime");
        let tmp = text("tmpName");
        Self {
            client_filename,
            client_media_type,
            size: map.get("size").and_then(Value::as_u64).unwrap_or(0),
            status: UploadStatus::from_code(map.get("error").and_then(Value::as_u64).unwrap_or(0)),
            tmp_path: Some(PathBuf::from(tmp)).filter(|p| p.is_absolute()),
        }
    }

    /// The file name the client sent. Never use it as a path: see [`safe_filename`](Self::safe_filename).
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.client_filename(), "../Q3 report.pdf");
    /// ```
    pub fn client_filename(&self) -> &str {
        &self.client_filename
    }

    /// The media type the client sent (unverified, may be empty).
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.client_media_type(), "application/pdf");
    /// ```
    pub fn client_media_type(&self) -> &str {
        &self.client_media_type
    }

    /// Bytes written to the temp file.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.size(), 1024);
    /// ```
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the upload worked.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.status(), rr_http::UploadStatus::Ok);
    /// ```
    pub fn status(&self) -> UploadStatus {
        self.status
    }

    /// Where rr keeps the file until the response ends. rr creates it with mode 0600, and a
    /// moved file keeps that mode.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.tmp_path(), Some(std::path::Path::new("/tmp/upload1")));
    /// ```
    pub fn tmp_path(&self) -> Option<&Path> {
        self.tmp_path.as_deref()
    }

    /// The client's file name reduced to one harmless path component: no directories, no
    /// control characters, no leading dots, at most 200 bytes; `upload` when nothing is left.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"f":{"name":"../Q3 report.pdf","mime":"application/pdf","size":1024,"error":0,"tmpName":"/tmp/upload1"}}"#);
    /// let file = uploads.file("f").unwrap();
    /// assert_eq!(file.safe_filename(), "Q3 report.pdf");
    /// ```
    pub fn safe_filename(&self) -> String {
        sanitize(&self.client_filename)
    }

    /// Opens the temp file for reading.
    ///
    /// ```no_run
    /// # fn f(file: &rr_http::UploadedFile) -> Result<(), rr_http::UploadError> {
    /// use std::io::Read;
    ///
    /// let mut head = [0u8; 8];
    /// file.open()?.read_exact(&mut head)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`UploadError::NotUploaded`] when the upload failed, [`UploadError::Io`] otherwise.
    pub fn open(&self) -> Result<File, UploadError> {
        Ok(File::open(self.source()?)?)
    }

    /// Moves the file to exactly `dest`, never overwriting: an existing `dest` gives
    /// [`UploadError::Exists`]. Works across file systems (copies, then removes the original).
    ///
    /// ```no_run
    /// # fn f(file: &rr_http::UploadedFile) -> Result<(), rr_http::UploadError> {
    /// file.move_to("/var/app/avatars/42.png")?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`UploadError`] when the upload failed, `dest` exists, or the file system refuses.
    pub fn move_to(&self, dest: impl AsRef<Path>) -> Result<(), UploadError> {
        let src = self.source()?;
        let dest = dest.as_ref();
        match fs::hard_link(src, dest) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(UploadError::Exists(dest.to_path_buf()));
            }
            // Moved already, or deleted by rr: nothing to copy.
            Err(e) if e.kind() == io::ErrorKind::NotFound && !src.exists() => return Err(e.into()),
            // Another file system (EXDEV), or one without hard links: copy instead.
            Err(_) => copy_new(src, dest)?,
        }
        fs::remove_file(src)?;
        Ok(())
    }

    /// Moves the file into directory `dir` under its [`safe_filename`](Self::safe_filename),
    /// adding `-1`, `-2`, … before the extension when that name is taken. Returns the new path.
    ///
    /// ```no_run
    /// # fn f(file: &rr_http::UploadedFile) -> Result<(), rr_http::UploadError> {
    /// let saved = file.move_into("/var/app/uploads")?;
    /// eprintln!("stored {}", saved.display());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`move_to`](Self::move_to).
    pub fn move_into(&self, dir: impl AsRef<Path>) -> Result<PathBuf, UploadError> {
        let name = self.safe_filename();
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (&name[..i], &name[i..]),
            _ => (name.as_str(), ""),
        };
        for n in 0..1000 {
            let candidate = if n == 0 {
                name.clone()
            } else {
                format!("{stem}-{n}{ext}")
            };
            let dest = dir.as_ref().join(candidate);
            match self.move_to(&dest) {
                Ok(()) => return Ok(dest),
                Err(UploadError::Exists(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(UploadError::Exists(dir.as_ref().join(name)))
    }

    fn source(&self) -> Result<&Path, UploadError> {
        match (&self.status, &self.tmp_path) {
            (UploadStatus::Ok, Some(path)) => Ok(path),
            (UploadStatus::Ok, None) => Err(UploadError::NotUploaded(UploadStatus::NoFile)),
            (status, _) => Err(UploadError::NotUploaded(*status)),
        }
    }
}

impl serde::Serialize for UploadedFile {
    /// The fields RoadRunner reports: `name`, `mime`, `size`, `error` (code), `tmpName`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("UploadedFile", 5)?;
        s.serialize_field("name", &self.client_filename)?;
        s.serialize_field("mime", &self.client_media_type)?;
        s.serialize_field("size", &self.size)?;
        s.serialize_field("error", &self.status.code())?;
        s.serialize_field("tmpName", &self.tmp_path)?;
        s.end()
    }
}

/// Copies `src` to a new file `dest` (which must not exist) and flushes it to disk.
fn copy_new(src: &Path, dest: &Path) -> Result<(), UploadError> {
    // Open the source first, so a missing source never leaves an empty destination behind.
    let mut input = File::open(src)?;
    let mut out = match OpenOptions::new().write(true).create_new(true).open(dest) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(UploadError::Exists(dest.to_path_buf()));
        }
        Err(e) => return Err(e.into()),
    };
    let result = io::copy(&mut input, &mut out).and_then(|_| out.sync_all());
    if let Err(e) = result {
        let _ = fs::remove_file(dest);
        return Err(e.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::TREE;
    use super::*;
    use crate::Uploads;

    #[test]
    fn moving_a_file_twice_fails_without_leaving_an_empty_destination() {
        let dir = std::env::temp_dir().join(format!("rr-http-twice-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let tmp = dir.join("tmp");
        fs::write(&tmp, "x").unwrap();
        let json = format!(
            r#"{{"f":{{"name":"x","mime":"","size":1,"error":0,"tmpName":{:?}}}}}"#,
            tmp.to_str().unwrap()
        );
        let uploads = Uploads::from_json(json.as_bytes());
        let file = uploads.file("f").unwrap();
        file.move_to(dir.join("first")).unwrap();
        assert!(
            matches!(file.move_to(dir.join("second")), Err(UploadError::Io(e)) if e.kind() == io::ErrorKind::NotFound)
        );
        assert!(!dir.join("second").exists());
        assert!(matches!(
            copy_new(&tmp, &dir.join("third")),
            Err(UploadError::Io(_))
        ));
        assert!(!dir.join("third").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failed_upload_cannot_be_moved() {
        let uploads = Uploads::from_json(TREE.as_bytes());
        let files = uploads.files();
        assert!(matches!(
            files[2].1.move_to("/nonexistent/x"),
            Err(UploadError::NotUploaded(UploadStatus::Extension))
        ));
    }

    #[test]
    fn move_into_never_overwrites() {
        let dir = std::env::temp_dir().join(format!("rr-http-uploads-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("dest")).unwrap();
        let mut moved = Vec::new();
        for i in 0..2 {
            let tmp = dir.join(format!("tmp{i}"));
            fs::write(&tmp, format!("content {i}")).unwrap();
            let json = format!(
                r#"{{"f":{{"name":"../report.txt","mime":"text/plain","size":9,"error":0,"tmpName":{:?}}}}}"#,
                tmp.to_str().unwrap()
            );
            let uploads = Uploads::from_json(json.as_bytes());
            moved.push(
                uploads
                    .file("f")
                    .unwrap()
                    .move_into(dir.join("dest"))
                    .unwrap(),
            );
            assert!(!tmp.exists(), "the temp file is gone after the move");
        }
        assert_eq!(
            moved,
            [dir.join("dest/report.txt"), dir.join("dest/report-1.txt")]
        );
        assert_eq!(fs::read_to_string(&moved[0]).unwrap(), "content 0");
        assert_eq!(fs::read_to_string(&moved[1]).unwrap(), "content 1");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn move_across_file_systems_copies() {
        use std::os::unix::fs::MetadataExt;
        let shm = Path::new("/dev/shm");
        let tmp = std::env::temp_dir();
        let (Ok(a), Ok(b)) = (fs::metadata(shm), fs::metadata(&tmp)) else {
            panic!("/dev/shm and the temp dir are needed for this test");
        };
        assert_ne!(
            a.dev(),
            b.dev(),
            "/dev/shm must be another file system than {}",
            tmp.display()
        );
        let src = tmp.join(format!("rr-http-xdev-{}", std::process::id()));
        let dest = shm.join(format!("rr-http-xdev-{}", std::process::id()));
        let _ = fs::remove_file(&dest);
        fs::write(&src, "across").unwrap();
        let json = format!(
            r#"{{"f":{{"name":"x","mime":"","size":6,"error":0,"tmpName":{:?}}}}}"#,
            src.to_str().unwrap()
        );
        let uploads = Uploads::from_json(json.as_bytes());
        uploads.file("f").unwrap().move_to(&dest).unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "across");
        assert!(!src.exists());
        fs::remove_file(&dest).unwrap();
    }

    #[test]
    fn copy_fallback_refuses_existing_destination() {
        let dir = std::env::temp_dir().join(format!("rr-http-copy-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("src"), "new").unwrap();
        fs::write(dir.join("dest"), "old").unwrap();
        assert!(matches!(
            copy_new(&dir.join("src"), &dir.join("dest")),
            Err(UploadError::Exists(_))
        ));
        assert_eq!(fs::read_to_string(dir.join("dest")).unwrap(), "old");
        copy_new(&dir.join("src"), &dir.join("fresh")).unwrap();
        assert_eq!(fs::read_to_string(dir.join("fresh")).unwrap(), "new");
        fs::remove_dir_all(&dir).unwrap();
    }
}
