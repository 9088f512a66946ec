//! [`ParamMap`]: an insertion-ordered PHP array with integer or string keys.

use serde::ser::{SerializeMap, SerializeSeq};

use super::iter::Iter;
use super::key::{Key, KeyRef};
use super::tree::Params;

/// An insertion-ordered PHP array: unique [`Key`]s, each with a [`Params`].
///
/// Like PHP, it remembers the next free integer index used by
/// [`push`](ParamMap::push) (`$a[] = …`): one more than the largest integer
/// key ever inserted, or `0` when there was none. Lookups are linear scans,
/// which is fast for the sizes query strings and forms have.
///
/// ```
/// use rr_params::{Key, ParamMap, Params};
///
/// let mut m = ParamMap::new();
/// m.insert("5", Params::from("five"));
/// assert_eq!(m.push(Params::from("six")), Some(6));
/// m.insert("name", Params::from("n"));
/// assert_eq!(m.get("6").and_then(|p| p.as_str()), Some("six"));
/// assert_eq!(m.get_key(&Key::Int(5)).and_then(|p| p.as_str()), Some("five"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ParamMap {
    entries: Vec<(Key, Params)>,
    /// Largest integer key ever inserted plus one (saturating); `None` if none.
    next_free: Option<i64>,
}

impl PartialEq for ParamMap {
    /// Maps are equal when they hold the same entries in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for ParamMap {}

impl ParamMap {
    /// An empty map.
    ///
    /// ```
    /// use rr_params::ParamMap;
    ///
    /// assert!(ParamMap::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.push(Params::from("a"));
    /// assert_eq!(m.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    ///
    /// ```
    /// use rr_params::ParamMap;
    ///
    /// assert!(ParamMap::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &Key) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// The value under `key`, with PHP offset rules (`"1"` means integer `1`).
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.insert("1", Params::from("x"));
    /// assert!(m.get("1").is_some());
    /// assert!(m.get("01").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Params> {
        let key = KeyRef::from(key);
        self.entries
            .iter()
            .find(|(k, _)| k.matches(key))
            .map(|(_, v)| v)
    }

    /// The value under an exact [`Key`].
    ///
    /// ```
    /// use rr_params::{Key, ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.push(Params::from("x"));
    /// assert_eq!(m.get_key(&Key::Int(0)).and_then(|p| p.as_str()), Some("x"));
    /// ```
    pub fn get_key(&self, key: &Key) -> Option<&Params> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// Mutable access to the value under an exact [`Key`].
    ///
    /// ```
    /// use rr_params::{Key, ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.insert("a", Params::from("x"));
    /// *m.get_key_mut(&Key::from("a")).unwrap() = Params::from("y");
    /// assert_eq!(m.get("a").and_then(|p| p.as_str()), Some("y"));
    /// ```
    pub fn get_key_mut(&mut self, key: &Key) -> Option<&mut Params> {
        let i = self.position(key)?;
        Some(&mut self.entries[i].1)
    }

    /// Sets `key` to `value` like PHP's `$a[$key] = $value`: an existing
    /// entry is replaced in place (keeping its position), a new one is
    /// appended. Returns the previous value.
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.insert("a", Params::from("1"));
    /// m.insert("b", Params::from("2"));
    /// assert_eq!(m.insert("a", Params::from("3")), Some(Params::from("1")));
    /// let keys: Vec<String> = m.keys().map(|k| k.to_string()).collect();
    /// assert_eq!(keys, ["a", "b"]);
    /// ```
    pub fn insert(&mut self, key: impl Into<Key>, value: Params) -> Option<Params> {
        let key = key.into();
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.append_unique(key, value);
                None
            }
        }
    }

    /// Appends an entry whose key the caller knows is not present yet.
    pub(crate) fn append_unique(&mut self, key: Key, value: Params) {
        if let Key::Int(i) = key {
            if self.next_free.is_none_or(|next| i >= next) {
                self.next_free = Some(i.saturating_add(1));
            }
        }
        self.entries.push((key, value));
    }

    /// The index [`push`](ParamMap::push) would use next.
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// assert_eq!(m.next_index(), 0);
    /// m.insert("-5", Params::from("x"));
    /// assert_eq!(m.next_index(), -4);
    /// ```
    pub fn next_index(&self) -> i64 {
        self.next_free.unwrap_or(0)
    }

    /// Appends like PHP's `$a[] = $value`, at [`next_index`](ParamMap::next_index).
    /// Returns the index used, or `None` (dropping the value, as PHP does)
    /// when that index is taken because `i64::MAX` is already a key.
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// assert_eq!(m.push(Params::from("a")), Some(0));
    /// m.insert("9223372036854775807", Params::from("max"));
    /// assert_eq!(m.push(Params::from("b")), None);
    /// ```
    pub fn push(&mut self, value: Params) -> Option<i64> {
        self.push_slot(value).map(|(i, _)| i)
    }

    /// Like [`push`](ParamMap::push), returning the new slot.
    pub(crate) fn push_slot(&mut self, value: Params) -> Option<(i64, &mut Params)> {
        let index = self.next_index();
        let key = Key::Int(index);
        if self.position(&key).is_some() {
            return None;
        }
        self.append_unique(key, value);
        let slot = &mut self.entries.last_mut()?.1;
        Some((index, slot))
    }

    /// The entry under `key` as a mutable slot, appending `Params::Value("")`
    /// if absent.
    pub(crate) fn slot(&mut self, key: Key) -> &mut Params {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.append_unique(key, Params::Value(String::new()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    /// Removes an entry (PHP `unset`); later entries keep their order and the
    /// next free index is not lowered.
    ///
    /// ```
    /// use rr_params::{Key, ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.push(Params::from("a"));
    /// assert_eq!(m.remove(&Key::Int(0)), Some(Params::from("a")));
    /// assert_eq!(m.next_index(), 1);
    /// ```
    pub fn remove(&mut self, key: &Key) -> Option<Params> {
        let i = self.position(key)?;
        Some(self.entries.remove(i).1)
    }

    /// Whether the keys are exactly `0..n` in order (PHP `array_is_list`).
    ///
    /// ```
    /// use rr_params::{ParamMap, Params};
    ///
    /// let mut m = ParamMap::new();
    /// m.push(Params::from("a"));
    /// assert!(m.is_list());
    /// m.insert("x", Params::from("b"));
    /// assert!(!m.is_list());
    /// ```
    pub fn is_list(&self) -> bool {
        self.entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| i64::try_from(i).is_ok_and(|i| *k == Key::Int(i)))
    }

    /// Iterates over `(key, value)` pairs in insertion order.
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("x=1&y=2");
    /// let m = q.as_map().unwrap();
    /// assert_eq!(m.iter().count(), 2);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter::new(self.entries.iter())
    }

    /// Iterates over the keys in insertion order.
    ///
    /// ```
    /// use rr_params::{parse_query, Key};
    ///
    /// let q = parse_query("a[]=1&a[x]=2");
    /// let keys: Vec<&Key> = q.get("a").unwrap().as_map().unwrap().keys().collect();
    /// assert_eq!(keys, [&Key::Int(0), &Key::from("x")]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Iterates over the values in insertion order (PHP `array_values`).
    ///
    /// ```
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("a[x]=1&a[y]=2");
    /// let values: Vec<&str> = q.get("a").unwrap().as_map().unwrap()
    ///     .values().filter_map(|p| p.as_str()).collect();
    /// assert_eq!(values, ["1", "2"]);
    /// ```
    pub fn values(&self) -> impl Iterator<Item = &Params> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The entries as a slice, for internal iteration by the deserializer.
    pub(crate) fn entries(&self) -> &[(Key, Params)] {
        &self.entries
    }
}

impl<'a> IntoIterator for &'a ParamMap {
    type Item = (&'a Key, &'a Params);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl serde::Serialize for ParamMap {
    /// Lists become sequences, other maps become maps (like `json_encode`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_list() {
            let mut seq = serializer.serialize_seq(Some(self.len()))?;
            for v in self.values() {
                seq.serialize_element(v)?;
            }
            seq.end()
        } else {
            let mut map = serializer.serialize_map(Some(self.len()))?;
            for (k, v) in self {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(p: &Params) -> String {
        serde_json::to_string(p).unwrap()
    }

    #[test]
    fn insert_replaces_in_place_and_push_tracks_max() {
        let mut m = ParamMap::new();
        m.insert("0", "x".into());
        m.insert("2", "y".into());
        assert_eq!(m.push("z".into()), Some(3));
        m.insert("2", "w".into());
        assert_eq!(json(&m.clone().into()), r#"{"0":"x","2":"w","3":"z"}"#);
        m.remove(&Key::Int(3));
        assert_eq!(m.push("v".into()), Some(4));
    }

    #[test]
    fn negative_keys_and_saturation() {
        let mut m = ParamMap::new();
        m.insert("-5", "a".into());
        assert_eq!(m.push("b".into()), Some(-4));
        m.insert(Key::Int(i64::MAX), "c".into());
        assert_eq!(m.next_index(), i64::MAX);
        assert_eq!(m.push("d".into()), None);
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn lists_and_serialisation() {
        let mut m = ParamMap::new();
        assert!(m.is_list());
        assert_eq!(json(&m.clone().into()), "[]");
        m.push("a".into());
        m.push(Params::Map(ParamMap::new()));
        assert!(m.is_list());
        assert_eq!(json(&m.clone().into()), r#"["a",[]]"#);
        let mut n = ParamMap::new();
        n.insert("1", "a".into());
        n.insert("0", "b".into());
        assert!(!n.is_list());
        assert_eq!(json(&n.into()), r#"{"1":"a","0":"b"}"#);
    }
}
