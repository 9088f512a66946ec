//! A serde [`Deserializer`](serde::Deserializer) over a [`Params`] tree, in
//! the spirit of `serde_qs` and axum's `Query`/`Form` extractors.

use serde::de::{Deserialize, DeserializeOwned};

use super::de_node::ParamsDeserializer;
use super::error::ParamsError;
use super::query::parse_query;
use super::tree::Params;

/// Deserializes a `T` from a parameter tree.
///
/// Leaves are strings, parsed on demand:
///
/// * integers and floats with Rust's `FromStr` (no trimming; `""` is an error);
/// * `bool`: `true`/`1`/`on`/`yes` and `false`/`0`/`off`/`no`/`""`
///   (ASCII case-insensitive);
/// * `char`: exactly one character; strings may be borrowed (`&str`);
/// * `Option<T>`: a missing key **or an empty string** is `None`;
/// * sequences (`Vec<T>`, tuples) from a map's values in order
///   (`a[]=1&a[]=2`, also `a[3]=x&a[k]=y`), or from a single value
///   (`a=1` → `["1"]`);
/// * structs and maps (`HashMap`, `BTreeMap`) from maps; map keys are
///   parsed like leaves, so `HashMap<u32, _>` works; an empty string counts
///   as an empty map;
/// * enums: unit variants from a value (`mode=fast`), other variants from a
///   one-entry map (`shape[circle][r]=2`);
/// * `deserialize_any` (used by `serde_json::Value`, `#[serde(flatten)]`,
///   untagged enums) sees lists as sequences, other maps as maps and every
///   leaf as a string, so numbers inside flattened structs fail to parse,
///   the same limitation `serde_qs` has.
///
/// Missing struct fields need `Option`, `#[serde(default)]` or a default on
/// the container; unknown keys are ignored unless `deny_unknown_fields`.
///
/// ```
/// use rr_params::{from_params, parse_query};
///
/// #[derive(Debug, PartialEq, serde::Deserialize)]
/// struct Search<'a> {
///     q: &'a str,
///     page: Option<u32>,
///     #[serde(default)]
///     tags: Vec<String>,
///     exact: bool,
/// }
///
/// let params = parse_query("q=rust&tags[]=a&tags[]=b&exact=on");
/// let search: Search = from_params(&params).unwrap();
/// assert_eq!(search, Search { q: "rust", page: None, tags: vec!["a".into(), "b".into()], exact: true });
/// ```
pub fn from_params<'de, T: Deserialize<'de>>(params: &'de Params) -> Result<T, ParamsError> {
    T::deserialize(ParamsDeserializer::new(params))
}

/// Parses a raw query with [`parse_query`] and deserializes it with
/// [`from_params`].
///
/// ```
/// use rr_params::from_query_str;
///
/// #[derive(serde::Deserialize)]
/// struct Paging { page: u32, per_page: Option<u8> }
///
/// let p: Paging = from_query_str("page=3&per_page=").unwrap();
/// assert_eq!((p.page, p.per_page), (3, None));
/// ```
pub fn from_query_str<T: DeserializeOwned>(raw: &str) -> Result<T, ParamsError> {
    from_params(&parse_query(raw))
}

impl Params {
    /// Deserializes this tree into `T`; see [`from_params`] for the rules.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use rr_params::parse_query;
    ///
    /// let q = parse_query("limits[cpu]=2&limits[mem]=512");
    /// let limits: BTreeMap<String, u32> = q.get("limits").unwrap().deserialize().unwrap();
    /// assert_eq!(limits["mem"], 512);
    /// ```
    pub fn deserialize<'de, T: Deserialize<'de>>(&'de self) -> Result<T, ParamsError> {
        from_params(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Sort {
        Asc,
        Desc,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct UserId(u64);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Filter {
        status: Option<String>,
        #[serde(default)]
        ids: Vec<UserId>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Listing {
        #[serde(default = "one")]
        page: u32,
        #[serde(rename = "per-page")]
        per_page: Option<u8>,
        sort: Option<Sort>,
        filter: Option<Filter>,
        #[serde(default)]
        active: bool,
        ratio: Option<f32>,
    }

    fn one() -> u32 {
        1
    }

    #[test]
    fn listing_from_query() {
        let q = "page=3&per-page=20&sort=desc&filter[status]=open&filter[ids][]=7&filter[ids][]=9&active=1&ratio=0.5";
        let l: Listing = from_query_str(q).unwrap();
        assert_eq!(l.page, 3);
        assert_eq!(l.per_page, Some(20));
        assert_eq!(l.sort, Some(Sort::Desc));
        let filter = l.filter.unwrap();
        assert_eq!(filter.status.as_deref(), Some("open"));
        assert_eq!(filter.ids, [UserId(7), UserId(9)]);
        assert!(l.active);
        assert_eq!(l.ratio, Some(0.5));

        let l: Listing = from_query_str("per-page=&sort=&filter=").unwrap();
        assert_eq!(l.page, 1);
        assert_eq!((l.per_page, l.sort), (None, None));
        // An empty string is `None` for every `Option`, even of a struct.
        assert_eq!(l.filter, None);
        // Without `Option`, an empty string is an empty map.
        let f: HashMap<String, Filter> = from_query_str("f=").unwrap();
        assert_eq!(
            f["f"],
            Filter {
                status: None,
                ids: vec![]
            }
        );
    }

    #[test]
    fn sequences() {
        #[derive(Debug, Deserialize)]
        struct S {
            a: Vec<String>,
        }
        assert_eq!(from_query_str::<S>("a[]=1&a[]=2").unwrap().a, ["1", "2"]);
        assert_eq!(from_query_str::<S>("a=1").unwrap().a, ["1"]);
        assert_eq!(from_query_str::<S>("a[5]=x&a[k]=y").unwrap().a, ["x", "y"]);
        let t: (u8, String, bool) =
            from_query_str::<HashMap<String, (u8, String, bool)>>("t[]=1&t[]=x&t[]=off")
                .unwrap()
                .remove("t")
                .unwrap();
        assert_eq!(t, (1, "x".to_owned(), false));
        let err = from_query_str::<HashMap<String, (u8, u8)>>("t[]=1").unwrap_err();
        assert!(err.to_string().contains("\"t\""), "{err}");
    }

    #[test]
    fn maps_with_string_and_integer_keys() {
        let p = parse_query("m[a]=1&m[b]=2&n[3]=x&n[-1]=y");
        let m: BTreeMap<String, u8> = p.get("m").unwrap().deserialize().unwrap();
        assert_eq!(m, BTreeMap::from([("a".into(), 1), ("b".into(), 2)]));
        let n: HashMap<i32, String> = p.get("n").unwrap().deserialize().unwrap();
        assert_eq!(n[&3], "x");
        assert_eq!(n[&-1], "y");
        let err = p
            .get("m")
            .unwrap()
            .deserialize::<HashMap<u8, u8>>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for "a": expected an integer, got "a""#
        );
    }

    #[test]
    fn server_form_tree() {
        #[derive(Debug, Deserialize)]
        struct Opt {
            id: u32,
        }
        #[derive(Debug, Deserialize)]
        struct Form {
            options: Vec<Opt>,
            name: String,
        }
        let p =
            Params::from_json_bytes(br#"{"name":"x","options":{"0":{"id":"5"},"1":{"id":"6"}}}"#)
                .unwrap();
        let f: Form = p.deserialize().unwrap();
        assert_eq!(f.name, "x");
        assert_eq!(f.options.iter().map(|o| o.id).collect::<Vec<_>>(), [5, 6]);
    }
}
