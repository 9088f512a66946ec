//! Keys of PHP-like arrays: integers or strings.

use std::fmt;

/// A key of a PHP array: either an integer or a string.
///
/// PHP stores every string offset that is a *canonical decimal integer*
/// (`"0"`, `"17"`, `"-3"`, but not `"01"`, `"-0"`, `"1.5"` or `"+1"`, and only
/// within the `i64` range) as an integer key. The `From<&str>` and
/// `From<String>` conversions apply that rule, so `Key::from("1") == Key::Int(1)`.
///
/// Build string keys through those conversions rather than with `Key::Str`
/// directly: a `Key::Str("1")` would never be found by lookups, because PHP
/// (and this module) always looks `"1"` up as the integer `1`.
///
/// ```
/// use rr_params::Key;
///
/// assert_eq!(Key::from("42"), Key::Int(42));
/// assert_eq!(Key::from("-7"), Key::Int(-7));
/// assert_eq!(Key::from("007"), Key::Str("007".to_owned()));
/// assert_eq!(Key::from("-0"), Key::Str("-0".to_owned()));
/// assert_eq!(Key::from("name").to_string(), "name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// An integer key (`a[3]`, or the index given by `a[]`).
    Int(i64),
    /// A string key that is not a canonical decimal integer.
    Str(String),
}

impl Key {
    /// The integer value of an [`Key::Int`] key.
    ///
    /// ```
    /// use rr_params::Key;
    ///
    /// assert_eq!(Key::from("5").as_int(), Some(5));
    /// assert_eq!(Key::from("x").as_int(), None);
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Key::Int(i) => Some(*i),
            Key::Str(_) => None,
        }
    }

    /// The text of a [`Key::Str`] key (`None` for integer keys; use
    /// `to_string()` to get the text of any key).
    ///
    /// ```
    /// use rr_params::Key;
    ///
    /// assert_eq!(Key::from("x").as_str(), Some("x"));
    /// assert_eq!(Key::from("5").as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Key::Int(_) => None,
            Key::Str(s) => Some(s),
        }
    }

    /// Whether this key equals the key PHP would make of the string `s` (a `&str`, or a
    /// [`KeyRef`] made of it once for many comparisons).
    pub(crate) fn matches<'a>(&self, s: impl Into<KeyRef<'a>>) -> bool {
        match (self, s.into()) {
            (Key::Int(i), KeyRef::Int(j)) => *i == j,
            (Key::Str(k), KeyRef::Str(s)) => k == s,
            _ => false,
        }
    }
}

/// The key PHP makes of a string, borrowing the string instead of copying it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyRef<'a> {
    Int(i64),
    Str(&'a str),
}

impl<'a> From<&'a str> for KeyRef<'a> {
    fn from(s: &'a str) -> Self {
        match canonical_int(s) {
            Some(i) => KeyRef::Int(i),
            None => KeyRef::Str(s),
        }
    }
}

/// Parses `s` if it is a canonical decimal integer in the `i64` range, the
/// rule PHP applies to array offsets (`ZEND_HANDLE_NUMERIC_STR`).
pub(crate) fn canonical_int(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // No leading zeros; this also rejects "-0".
    if digits[0] == b'0' && bytes.len() > 1 {
        return None;
    }
    s.parse().ok()
}

/// Where a key of a tree RoadRunner sent goes when the tree is read back: integer keys (the
/// canonical decimal integers PHP makes integer keys of) first, in numeric order, then string
/// keys, all of equal rank, so a stable sort keeps their order. RoadRunner builds its trees
/// in Go maps, whose keys come sorted as text (`10` before `2`), which is wrong for indices;
/// [`Params::from_json`](crate::Params::from_json) orders by this rank, and so can other
/// readers of rr's trees (rr-http's uploads).
///
/// ```
/// let mut keys = ["b", "10", "2", "-1", "a", "02"];
/// keys.sort_by_key(|k| rr_params::server_rank(k));
/// assert_eq!(keys, ["-1", "2", "10", "b", "a", "02"]);
/// ```
pub fn server_rank(key: &str) -> impl Ord + Copy + use<> {
    rank(KeyRef::from(key))
}

/// [`server_rank`] of a key already split into integer or string.
pub(crate) fn rank(key: KeyRef<'_>) -> (bool, i64) {
    match key {
        KeyRef::Int(i) => (false, i),
        KeyRef::Str(_) => (true, 0),
    }
}

impl<'a> From<&'a Key> for KeyRef<'a> {
    fn from(key: &'a Key) -> Self {
        match key {
            Key::Int(i) => KeyRef::Int(*i),
            Key::Str(s) => KeyRef::Str(s),
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        match canonical_int(s) {
            Some(i) => Key::Int(i),
            None => Key::Str(s.to_owned()),
        }
    }
}

impl From<String> for Key {
    fn from(s: String) -> Self {
        match canonical_int(&s) {
            Some(i) => Key::Int(i),
            None => Key::Str(s),
        }
    }
}

impl From<i64> for Key {
    fn from(i: i64) -> Self {
        Key::Int(i)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Key::Int(i) => serializer.serialize_i64(*i),
            Key::Str(s) => serializer.serialize_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_integers() {
        for (s, want) in [
            ("0", Some(0)),
            ("1", Some(1)),
            ("-1", Some(-1)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("-9223372036854775809", None),
            ("01", None),
            ("-0", None),
            ("-01", None),
            ("00", None),
            ("+1", None),
            ("1.5", None),
            (" 1", None),
            ("1 ", None),
            ("", None),
            ("-", None),
            ("1e3", None),
        ] {
            assert_eq!(canonical_int(s), want, "{s:?}");
        }
    }

    #[test]
    fn conversions_and_matching() {
        assert_eq!(Key::from(String::from("12")), Key::Int(12));
        assert_eq!(Key::from(String::from("a")), Key::Str("a".into()));
        assert_eq!(Key::from(3), Key::Int(3));
        assert!(Key::Int(3).matches("3"));
        assert!(!Key::Int(3).matches("03"));
        assert!(Key::Str("03".into()).matches("03"));
        assert!(!Key::Str("3".into()).matches("3"));
        assert_eq!(Key::Int(-4).to_string(), "-4");
        assert_eq!(serde_json::to_string(&Key::Int(2)).unwrap(), "2");
        assert_eq!(serde_json::to_string(&Key::from("b")).unwrap(), "\"b\"");
    }
}
