//! The parameter tree: [`Params`], a string leaf or a [`ParamMap`].

use super::iter::Iter;
use super::key::Key;
use super::map::ParamMap;

/// A PHP-array-like parameter tree: a string leaf or an ordered map.
///
/// Query strings ([`parse_query`](super::parse_query)) and the server-built
/// form tree ([`Params::from_json`]) both produce this type. It serialises
/// like PHP's `json_encode` does: lists (keys exactly `0..n` in order) become
/// JSON arrays, other maps become objects, values become strings.
///
/// ```
/// use rr_params::{parse_query, Params};
///
/// let q = parse_query("user[name]=Ann&tags[]=a&tags[]=b");
/// assert_eq!(q.get_path(&["user", "name"]).and_then(Params::as_str), Some("Ann"));
/// assert!(q.get("tags").unwrap().is_list());
/// assert_eq!(
///     serde_json::to_string(&q).unwrap(),
///     r#"{"user":{"name":"Ann"},"tags":["a","b"]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Params {
    /// A leaf value (PHP string).
    Value(String),
    /// A nested PHP array.
    Map(ParamMap),
}

impl Default for Params {
    /// An empty map.
    fn default() -> Self {
        Params::Map(ParamMap::new())
    }
}

impl From<String> for Params {
    fn from(s: String) -> Self {
        Params::Value(s)
    }
}

impl From<&str> for Params {
    fn from(s: &str) -> Self {
        Params::Value(s.to_owned())
    }
}

impl From<ParamMap> for Params {
    fn from(m: ParamMap) -> Self {
        Params::Map(m)
    }
}

impl Params {
    /// The child under `key` (PHP offset rules: `"1"` finds the integer key `1`).
    /// `None` for a missing key or when `self` is a value.
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("a[1]=x&b=y");
    /// assert_eq!(q.get("b").and_then(|p| p.as_str()), Some("y"));
    /// assert!(q.get("a").unwrap().get("1").is_some());
    /// assert!(q.get("c").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Params> {
        self.as_map()?.get(key)
    }

    /// Follows a path of keys (`&["a", "b"]` is PHP's `$q['a']['b']`).
    /// An empty path returns `self`.
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("a[b][c]=1");
    /// assert_eq!(q.get_path(&["a", "b", "c"]).and_then(|p| p.as_str()), Some("1"));
    /// assert!(q.get_path(&["a", "x"]).is_none());
    /// ```
    pub fn get_path<S: AsRef<str>>(&self, path: &[S]) -> Option<&Params> {
        path.iter()
            .try_fold(self, |node, key| node.get(key.as_ref()))
    }

    /// The text of a [`Params::Value`]; `None` for a map.
    ///
    /// ```
    /// use rr_params::Params;
    ///
    /// assert_eq!(Params::from("x").as_str(), Some("x"));
    /// assert_eq!(Params::default().as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Params::Value(s) => Some(s),
            Params::Map(_) => None,
        }
    }

    /// The map of a [`Params::Map`]; `None` for a value.
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// assert_eq!(parse_query("a=1&b=2").as_map().map(|m| m.len()), Some(2));
    /// ```
    pub fn as_map(&self) -> Option<&ParamMap> {
        match self {
            Params::Value(_) => None,
            Params::Map(m) => Some(m),
        }
    }

    /// Mutable access to the map of a [`Params::Map`].
    ///
    /// ```
    /// use rr_params::Params;
    ///
    /// let mut p = Params::default();
    /// p.as_map_mut().unwrap().insert("k", Params::from("v"));
    /// assert_eq!(p.get("k").and_then(|v| v.as_str()), Some("v"));
    /// ```
    pub fn as_map_mut(&mut self) -> Option<&mut ParamMap> {
        match self {
            Params::Value(_) => None,
            Params::Map(m) => Some(m),
        }
    }

    /// Whether this is a map whose keys are exactly `0..n` in order (PHP's
    /// `array_is_list`; true for an empty map, false for a value).
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("a[]=1&a[]=2&b[1]=x&c=v");
    /// assert!(q.get("a").unwrap().is_list());
    /// assert!(!q.get("b").unwrap().is_list());
    /// assert!(!q.get("c").unwrap().is_list());
    /// ```
    pub fn is_list(&self) -> bool {
        self.as_map().is_some_and(ParamMap::is_list)
    }

    /// Number of direct children: the map's length, `0` for a value.
    ///
    /// ```
    /// use rr_params::{parse_query, Params};
    ///
    /// assert_eq!(parse_query("a=1&b[]=2").len(), 2);
    /// assert_eq!(Params::from("x").len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.as_map().map_or(0, ParamMap::len)
    }

    /// Whether [`len`](Params::len) is zero (always true for a value).
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// assert!(parse_query("").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over the direct children in insertion order (nothing for a value).
    ///
    /// ```
    /// use rr_params::{parse_query, Key};
    ///
    /// let q = parse_query("b=1&a=2");
    /// let keys: Vec<String> = q.iter().map(|(k, _)| k.to_string()).collect();
    /// assert_eq!(keys, ["b", "a"]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        match self {
            Params::Value(_) => Iter::default(),
            Params::Map(m) => m.iter(),
        }
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = (&'a Key, &'a Params);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl serde::Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Params::Value(s) => serializer.serialize_str(s),
            Params::Map(m) => m.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors() {
        let mut inner = ParamMap::new();
        inner.insert("b", "1".into());
        let mut root = ParamMap::new();
        root.insert("a", inner.into());
        root.insert("v", "x".into());
        let p = Params::Map(root);
        assert_eq!(p.get_path(&["a", "b"]).and_then(Params::as_str), Some("1"));
        assert_eq!(p.get_path::<&str>(&[]), Some(&p));
        assert!(p.get_path(&["v", "b"]).is_none());
        assert_eq!(p.len(), 2);
        assert_eq!(p.iter().len(), 2);
        assert_eq!(
            p.iter().next_back().map(|(k, _)| k.to_string()),
            Some("v".into())
        );
        let v = Params::from("s");
        assert_eq!(v.iter().count(), 0);
        assert!(v.is_empty() && !v.is_list());
        assert_eq!((&p).into_iter().count(), 2);
        let mut q = p.clone();
        let slot = q.as_map_mut().unwrap().slot(Key::from("new"));
        *slot = "z".into();
        assert_eq!(q.get("new").and_then(Params::as_str), Some("z"));
        assert_ne!(p, q);
    }
}
