//! [`Headers`]: a job's multi-valued headers, names and values kept in order.

use std::collections::BTreeMap;
use std::fmt;

use rr_proto::jobs::v1::HeaderValue;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A job's headers: each name with one or more values, in the order they arrived or were added.
///
/// Names are compared exactly (RoadRunner keeps them as a Go `map[string][]string`, case and
/// all). On the wire they are always a JSON object of string arrays; rr loses a job whose reply
/// carries them as an array, so this type never produces one.
///
/// ```
/// let mut headers = rr_jobs::Headers::new();
/// headers.append("tag", "a");
/// headers.append("tag", "b");
/// headers.append("attempts", "1");
/// assert_eq!(headers.get("tag"), Some("a"));
/// assert_eq!(headers.get_all("tag"), ["a", "b"]);
/// assert_eq!(headers.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(String, Vec<String>)>,
}

// ===== impl Headers =====

impl Headers {
    /// No headers.
    ///
    /// ```
    /// assert!(rr_jobs::Headers::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The first value of `name`.
    ///
    /// ```
    /// let headers = rr_jobs::Headers::from_iter([("a", "1")]);
    /// assert_eq!(headers.get("a"), Some("1"));
    /// assert_eq!(headers.get("b"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).first().map(String::as_str)
    }

    /// Every value of `name`, in order; empty when there is none.
    ///
    /// ```
    /// let headers = rr_jobs::Headers::from_iter([("a", "1"), ("a", "2")]);
    /// assert_eq!(headers.get_all("a"), ["1", "2"]);
    /// ```
    pub fn get_all(&self, name: &str) -> &[String] {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Whether `name` is present.
    ///
    /// ```
    /// assert!(rr_jobs::Headers::from_iter([("a", "1")]).contains("a"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// Adds `value` after the values `name` already has.
    ///
    /// ```
    /// let mut headers = rr_jobs::Headers::new();
    /// headers.append("a", "1");
    /// headers.append("a", "2");
    /// assert_eq!(headers.get_all("a"), ["1", "2"]);
    /// ```
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value),
            None => self.entries.push((name, vec![value])),
        }
    }

    /// Replaces every value of `name` with `value`.
    ///
    /// ```
    /// let mut headers = rr_jobs::Headers::from_iter([("attempts", "1")]);
    /// headers.set("attempts", "2");
    /// assert_eq!(headers.get_all("attempts"), ["2"]);
    /// ```
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.remove(&name);
        self.entries.push((name, vec![value.into()]));
    }

    /// Removes `name`; returns its values.
    ///
    /// ```
    /// let mut headers = rr_jobs::Headers::from_iter([("a", "1")]);
    /// assert_eq!(headers.remove("a"), vec!["1".to_owned()]);
    /// assert!(headers.is_empty());
    /// ```
    pub fn remove(&mut self, name: &str) -> Vec<String> {
        match self.entries.iter().position(|(n, _)| n == name) {
            Some(i) => self.entries.remove(i).1,
            None => Vec::new(),
        }
    }

    /// How many names there are.
    ///
    /// ```
    /// assert_eq!(rr_jobs::Headers::from_iter([("a", "1"), ("a", "2")]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no names.
    ///
    /// ```
    /// assert!(rr_jobs::Headers::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each name with its values, in order.
    ///
    /// ```
    /// let headers = rr_jobs::Headers::from_iter([("a", "1"), ("b", "2")]);
    /// let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v.as_slice()))
    }

    /// The protobuf form (`jobs.v1.Job.headers`), for the producer side.
    pub(crate) fn to_proto(&self) -> BTreeMap<String, HeaderValue> {
        self.entries
            .iter()
            .map(|(n, v)| (n.clone(), HeaderValue { value: v.clone() }))
            .collect()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut headers = Self::new();
        for (n, v) in iter {
            headers.append(n, v);
        }
        headers
    }
}

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (name, values) in &self.entries {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Headers {
    /// Reads a JSON object of string arrays in wire order. `null` (Go's nil map) is no headers,
    /// and a `null` value (Go's nil slice) is a name without values.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;

        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Headers;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of string arrays")
            }

            fn visit_unit<E>(self) -> Result<Headers, E> {
                Ok(Headers::new())
            }

            fn visit_none<E>(self) -> Result<Headers, E> {
                Ok(Headers::new())
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Headers, D::Error> {
                d.deserialize_map(self)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut headers = Headers::new();
                while let Some((name, values)) = map.next_entry::<String, Option<Vec<String>>>()? {
                    let values = values.unwrap_or_default();
                    match headers.entries.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, old)) => old.extend(values),
                        None => headers.entries.push((name, values)),
                    }
                }
                Ok(headers)
            }
        }

        deserializer.deserialize_option(HeadersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_wire_order_and_every_value() {
        let h: Headers = serde_json::from_str(r#"{"z":["1","2"],"a":["3"],"n":null}"#).unwrap();
        let all: Vec<_> = h.iter().collect();
        assert_eq!(
            all,
            [
                ("z", &["1".to_owned(), "2".to_owned()][..]),
                ("a", &["3".to_owned()][..]),
                ("n", &[][..])
            ]
        );
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            r#"{"z":["1","2"],"a":["3"],"n":[]}"#
        );
    }

    #[test]
    fn null_is_empty_and_an_array_is_refused() {
        let h: Headers = serde_json::from_str("null").unwrap();
        assert!(h.is_empty());
        assert!(serde_json::from_str::<Headers>(r#"[["a","1"]]"#).is_err());
        assert_eq!(serde_json::to_string(&Headers::new()).unwrap(), "{}");
    }
}
