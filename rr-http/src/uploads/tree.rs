//! [`Uploads`]: the tree of uploaded files, shaped like the form's field names.

use serde_json::{Map, Value};

use super::UploadedFile;
use super::node::{collect, field_path};
use crate::params::server_rank;

/// The uploaded files of a request, as a tree shaped like the form's field names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Uploads {
    root: Vec<(String, UploadNode)>,
}

/// One node of the [`Uploads`] tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadNode {
    /// A file (the field was `name` or `name[key]`).
    File(UploadedFile),
    /// Several entries (the field was `name[]` or `name[a][b]`).
    Group(Vec<(String, UploadNode)>),
}

impl Uploads {
    /// Parses the server's JSON tree (protobuf carries it as text). Malformed entries are
    /// skipped.
    pub(crate) fn from_json(json: &[u8]) -> Self {
        serde_json::from_slice(json).map_or_else(|_| Self::default(), Self::from_value)
    }

    /// Reads the server's tree once parsed (legacy JSON carries it as a value). Malformed
    /// entries are skipped.
    pub(crate) fn from_value(value: Value) -> Self {
        let root = match value {
            Value::Object(map) => group_of_object(map),
            Value::Array(items) => group_of_array(items),
            _ => Vec::new(),
        };
        Self { root }
    }

    /// Reads the `uploads` JSON tree RoadRunner sends (http.md §4.5), e.g. to build requests
    /// in tests. Lenient like the request decoder: malformed input is an empty tree,
    /// malformed entries are skipped.
    ///
    /// ```
    /// let uploads = rr_http::Uploads::from_server_json(
    ///     br#"{"avatar":{"name":"me.png","mime":"image/png","size":3,"error":0,"tmpName":"/tmp/u1"}}"#,
    /// );
    /// assert_eq!(uploads.file("avatar").map(|f| f.size()), Some(3));
    /// assert!(rr_http::Uploads::from_server_json(b"oops").is_empty());
    /// ```
    pub fn from_server_json(json: &[u8]) -> Self {
        Self::from_json(json)
    }

    /// The node of top-level field `name`.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"docs":[{"name":"a.pdf","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}"#);
    /// assert_eq!(uploads.get("docs").map(|d| d.iter().count()), Some(1));
    /// ```
    pub fn get(&self, name: &str) -> Option<&UploadNode> {
        self.root.iter().find(|(k, _)| k == name).map(|(_, n)| n)
    }

    /// The node at a path of keys, `&["upload", "x", "y", "0"]` for the first file of field
    /// `upload[x][y][]`: the tree as rr sent it.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"upload":{"x":{"y":[{"name":"a.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}}}"#);
    /// let file = uploads.get_path(&["upload", "x", "y", "0"]).and_then(|n| n.as_file());
    /// assert_eq!(file.map(|f| f.client_filename()), Some("a.txt"));
    /// assert!(uploads.get_path(&["upload", "nope"]).is_none());
    /// ```
    pub fn get_path<S: AsRef<str>>(&self, path: &[S]) -> Option<&UploadNode> {
        let (first, rest) = path.split_first()?;
        self.get(first.as_ref())?.get_path(rest)
    }

    /// The node of a field name in form syntax, `upload[x][y]` or `upload[x][y][0]` (the
    /// paths [`files`](Uploads::files) gives).
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"upload":{"x":{"y":[{"name":"a.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u1"}]}}}"#);
    /// assert!(uploads.field("upload[x][y][0]").is_some_and(|n| n.is_file()));
    /// assert_eq!(uploads.field("upload[x][y]").map(|n| n.iter().count()), Some(1));
    /// ```
    pub fn field(&self, field: &str) -> Option<&UploadNode> {
        self.get_path(&field_path(field))
    }

    /// The top-level fields as `(name, node)`, in order.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"b":{"name":"b","mime":"","size":1,"error":0,"tmpName":"/tmp/b"},"a":[]}"#);
    /// let names: Vec<&str> = uploads.iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["a", "b"]); // rr sorts them
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &UploadNode)> {
        self.root.iter().map(|(k, node)| (k.as_str(), node))
    }

    /// The file of top-level field `name`, when that field holds one file.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::from_server_json(br#"{"avatar":{"name":"me.png","mime":"","size":3,"error":0,"tmpName":"/tmp/u1"}}"#);
    /// assert_eq!(uploads.file("avatar").map(|f| f.client_filename()), Some("me.png"));
    /// ```
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.get(name)?.as_file()
    }

    /// Every file with its field path in form syntax, e.g. `avatar`, `docs[0]`, `meta[a][b]`.
    ///
    /// ```
    /// # let uploads = rr_http::Uploads::default();
    /// for (field, file) in uploads.files() {
    ///     eprintln!("{field}: {} ({} bytes)", file.client_filename(), file.size());
    /// }
    /// ```
    pub fn files(&self) -> Vec<(String, &UploadedFile)> {
        let mut out = Vec::new();
        for (name, node) in &self.root {
            collect(name.clone(), node, &mut out);
        }
        out
    }

    /// `true` when no file was uploaded.
    ///
    /// ```
    /// assert!(rr_http::Uploads::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.root.is_empty()
    }
}

fn node_of(value: Value) -> Option<UploadNode> {
    match value {
        // A node is a file when it has the keys of rr's file object; a form field that is
        // itself called `name` (`doc[name]`) is a group holding a file.
        Value::Object(map) if is_file_object(&map) => {
            Some(UploadNode::File(UploadedFile::from_json(map)))
        }
        Value::Object(map) => Some(UploadNode::Group(group_of_object(map))),
        Value::Array(items) => Some(UploadNode::Group(group_of_array(items))),
        _ => None,
    }
}

fn is_file_object(map: &Map<String, Value>) -> bool {
    map.get("name").is_some_and(Value::is_string)
        && map.contains_key("tmpName")
        && map.contains_key("error")
}

/// The entries of an object, integer keys first in numeric order, then the others in the
/// object's order: rr's Go maps come sorted as text (`10` before `2`), which is wrong for
/// indices (`docs[0]` … `docs[11]`).
fn group_of_object(map: Map<String, Value>) -> Vec<(String, UploadNode)> {
    let mut group: Vec<(String, UploadNode)> = map
        .into_iter()
        .filter_map(|(k, v)| Some((k, node_of(v)?)))
        .collect();
    let rank = |(k, _): &(String, UploadNode)| server_rank(k);
    if !group.is_sorted_by_key(rank) {
        // Stable: the other keys keep their relative order.
        group.sort_by_key(rank);
    }
    group
}

fn group_of_array(items: Vec<Value>) -> Vec<(String, UploadNode)> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i.to_string(), node_of(v)?)))
        .collect()
}

impl serde::Serialize for UploadNode {
    /// A file as its fields; a group as a map of its entries.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::File(file) => file.serialize(serializer),
            Self::Group(entries) => serializer.collect_map(entries.iter().map(|(k, v)| (k, v))),
        }
    }
}

impl serde::Serialize for Uploads {
    /// The tree as a map, shaped like RoadRunner's `uploads` JSON.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.root.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::fixtures::TREE;
    use super::*;
    use crate::UploadStatus;

    #[test]
    fn parses_the_spec_example_tree() {
        let uploads = Uploads::from_json(TREE.as_bytes());
        let files = uploads.files();
        let fields: Vec<_> = files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["avatar", "docs[0]", "docs[1]", "meta[a][b]"]);
        let avatar = uploads.file("avatar").unwrap();
        assert_eq!(
            (
                avatar.client_filename(),
                avatar.client_media_type(),
                avatar.size()
            ),
            ("me.png", "image/png", 1024)
        );
        assert_eq!(avatar.tmp_path(), Some(Path::new("/tmp/upload1")));
        assert_eq!(files[2].1.status(), UploadStatus::Extension);
        assert_eq!(files[2].1.tmp_path(), None);
        assert_eq!(files[3].1.client_filename(), "c<1>.txt");
    }

    #[test]
    fn serialises_like_the_server_tree() {
        let uploads = Uploads::from_json(TREE.as_bytes());
        let json = serde_json::to_value(&uploads).unwrap();
        assert_eq!(json["avatar"]["tmpName"], "/tmp/upload1");
        assert_eq!(json["docs"]["1"]["error"], 8);
        assert_eq!(json["docs"]["1"]["tmpName"], serde_json::Value::Null);
        assert_eq!(json["meta"]["a"]["b"]["name"], "c<1>.txt");
        assert_eq!(
            UploadStatus::Extension.to_string(),
            "the file extension is not allowed (code 8)"
        );
    }

    /// rr writes the tree from Go maps, keys sorted as text (`0, 1, 10, 11, 2, …`).
    #[test]
    fn integer_keys_come_out_in_numeric_order() {
        let mut keys: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        keys.sort();
        let entries: Vec<String> = keys
            .iter()
            .map(|k| {
                format!(
                    r#""{k}":{{"name":"f{k}.txt","mime":"","size":1,"error":0,"tmpName":"/tmp/u{k}"}}"#
                )
            })
            .collect();
        let json = format!(r#"{{"docs":{{{}}}}}"#, entries.join(","));
        let uploads = Uploads::from_json(json.as_bytes());
        let fields: Vec<String> = uploads.files().into_iter().map(|(f, _)| f).collect();
        let want: Vec<String> = (0..12).map(|i| format!("docs[{i}]")).collect();
        assert_eq!(fields, want);
    }

    #[test]
    fn a_form_field_called_name_is_a_group_not_a_file() {
        let json = r#"{"doc":{"name":{"name":"a.txt","mime":"text/plain","size":1,"error":0,"tmpName":"/tmp/u1"}}}"#;
        let uploads = Uploads::from_json(json.as_bytes());
        let files = uploads.files();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "doc[name]");
        assert_eq!(files[0].1.client_filename(), "a.txt");
    }
}
