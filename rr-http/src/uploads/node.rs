//! Walking the [`Uploads`](super::Uploads) tree: a node's children, paths of keys, and the
//! files below a node.

use super::{UploadNode, UploadedFile};

impl UploadNode {
    /// The file of a file node; `None` for a group.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"avatar":{"name":"me.png","mime":"image/png","size":3,"error":0,"tmpName":"/tmp/u1"}}"#);
    /// let node = uploads.get("avatar").unwrap();
    /// assert_eq!(node.as_file().map(|f| f.client_filename()), Some("me.png"));
    /// ```
    pub fn as_file(&self) -> Option<&UploadedFile> {
        match self {
            Self::File(file) => Some(file),
            Self::Group(_) => None,
        }
    }

    /// Whether this node is a file.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"docs":[{"name":"a.pdf","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}"#);
    /// assert!(!uploads.get("docs").unwrap().is_file());
    /// assert!(uploads.get_path(&["docs", "0"]).unwrap().is_file());
    /// ```
    pub fn is_file(&self) -> bool {
        matches!(self, Self::File(_))
    }

    /// The child under `key` of a group (`"0"` for the first of `name[]`); `None` for a file.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"upload":{"x":{"y":[{"name":"a.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}}}"#);
    /// let x = uploads.get("upload").and_then(|u| u.get("x")).unwrap();
    /// assert!(x.get("y").is_some() && x.get("nope").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&UploadNode> {
        self.iter().find(|(k, _)| *k == key).map(|(_, node)| node)
    }

    /// Follows a path of keys below this node; an empty path is the node itself.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"upload":{"x":{"y":[{"name":"a.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}}}"#);
    /// let upload = uploads.get("upload").unwrap();
    /// let file = upload.get_path(&["x", "y", "0"]).and_then(|n| n.as_file()).unwrap();
    /// assert_eq!(file.client_filename(), "a.txt");
    /// ```
    pub fn get_path<S: AsRef<str>>(&self, path: &[S]) -> Option<&UploadNode> {
        path.iter()
            .try_fold(self, |node, key| node.get(key.as_ref()))
    }

    /// The children of a group as `(key, node)`, in order (integer keys in numeric order);
    /// nothing for a file.
    ///
    /// ```
    /// # let f = |n: &str| format!(r#"{{"name":"{n}","mime":"","size":1,"error":0,"tmpName":"/tmp/{n}"}}"#);
    /// # let json = format!(r#"{{"upload":{{"x":{{"y":[{},{}],"z":{}}}}}}}"#, f("a"), f("b"), f("c"));
    /// # let uploads = rr_http::Uploads::from_server_json(json.as_bytes());
    /// // Fields `upload[x][y][]` (twice) and `upload[x][z]`.
    /// let x = uploads.get_path(&["upload", "x"]).unwrap();
    /// let keys: Vec<&str> = x.iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["y", "z"]);
    /// let y: Vec<&str> = x.get("y").unwrap().iter().map(|(k, _)| k).collect();
    /// assert_eq!(y, ["0", "1"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &UploadNode)> {
        let children: &[(String, UploadNode)] = match self {
            Self::File(_) => &[],
            Self::Group(children) => children,
        };
        children.iter().map(|(k, node)| (k.as_str(), node))
    }

    /// Every file at or below this node, with its path relative to it in bracket syntax
    /// (`[y][0]`; empty for the node itself when it is a file).
    ///
    /// ```
    /// # let f = |n: &str| format!(r#"{{"name":"{n}","mime":"","size":1,"error":0,"tmpName":"/tmp/{n}"}}"#);
    /// # let json = format!(r#"{{"upload":{{"x":{{"y":[{},{}],"z":{}}}}}}}"#, f("a"), f("b"), f("c"));
    /// # let uploads = rr_http::Uploads::from_server_json(json.as_bytes());
    /// let x = uploads.get_path(&["upload", "x"]).unwrap();
    /// let paths: Vec<String> = x.files().into_iter().map(|(p, _)| p).collect();
    /// assert_eq!(paths, ["[y][0]", "[y][1]", "[z]"]);
    /// ```
    pub fn files(&self) -> Vec<(String, &UploadedFile)> {
        let mut out = Vec::new();
        collect(String::new(), self, &mut out);
        out
    }
}

/// Appends every file at or below `node` to `out`, paths starting with `path`.
pub(super) fn collect<'a>(
    path: String,
    node: &'a UploadNode,
    out: &mut Vec<(String, &'a UploadedFile)>,
) {
    match node {
        UploadNode::File(f) => out.push((path, f)),
        UploadNode::Group(children) => {
            for (key, child) in children {
                collect(format!("{path}[{key}]"), child, out);
            }
        }
    }
}

/// Splits a field name in form syntax, `upload[x][y][0]`, into its keys.
pub(super) fn field_path(field: &str) -> Vec<&str> {
    let (base, mut rest) = field.split_once('[').map_or((field, ""), |(b, r)| (b, r));
    let mut keys = vec![base];
    while let Some((key, after)) = rest.split_once(']') {
        keys.push(key);
        rest = after.strip_prefix('[').unwrap_or("");
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_split_into_keys() {
        assert_eq!(field_path("avatar"), ["avatar"]);
        assert_eq!(field_path("upload[x][y][0]"), ["upload", "x", "y", "0"]);
        assert_eq!(field_path("a[]"), ["a", ""]);
    }
}
