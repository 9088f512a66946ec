//! [`ParamsDeserializer`]: the serde `Deserializer` walking a [`Params`] tree.

use std::borrow::Cow;

use serde::de::Visitor;

use super::de_access::{MapDe, MapEnum};
use super::de_value::{StrDe, forward_shapes};
use super::error::{ParamsError, Path, at};
use super::map::ParamMap;
use super::tree::Params;

/// The serde [`Deserializer`](serde::Deserializer) behind [`from_params`](super::from_params),
/// for callers that drive serde themselves (e.g. `DeserializeSeed`).
///
/// `'de` is the tree's lifetime; `'p` is internal bookkeeping of the key
/// path (it is `'static` for a deserializer made with [`new`](ParamsDeserializer::new)).
///
/// ```
/// use serde::Deserialize;
/// use rr_params::{parse_query, ParamsDeserializer};
///
/// let q = parse_query("a[]=1&a[]=2");
/// let v = serde_json::Value::deserialize(ParamsDeserializer::new(&q)).unwrap();
/// assert_eq!(v, serde_json::json!({"a": ["1", "2"]}));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ParamsDeserializer<'de, 'p> {
    node: &'de Params,
    path: Path<'p>,
}

impl<'de> ParamsDeserializer<'de, 'static> {
    /// A deserializer for the whole tree.
    ///
    /// ```
    /// use serde::Deserialize;
    /// use rr_params::{parse_query, ParamsDeserializer};
    ///
    /// let q = parse_query("x=5");
    /// #[derive(Deserialize)]
    /// struct X { x: i8 }
    /// assert_eq!(X::deserialize(ParamsDeserializer::new(&q)).unwrap().x, 5);
    /// ```
    pub fn new(params: &'de Params) -> Self {
        Self::at(params, Path::Root)
    }
}

impl<'de, 'p> ParamsDeserializer<'de, 'p> {
    pub(crate) fn at(node: &'de Params, path: Path<'p>) -> Self {
        Self { node, path }
    }

    fn leaf(&self, text: &'de str) -> StrDe<'de, 'p> {
        StrDe {
            text: Cow::Borrowed(text),
            path: self.path,
        }
    }

    fn not_a_value(&self, map: &ParamMap, expected: &str) -> ParamsError {
        let got = if map.is_list() && !map.is_empty() {
            "a list"
        } else {
            "a map"
        };
        ParamsError::invalid(expected, got).at(&self.path)
    }
}

macro_rules! leaf_only {
    ($($method:ident => $expected:literal),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
            match self.node {
                Params::Value(s) => self.leaf(s).$method(visitor),
                Params::Map(m) => Err(self.not_a_value(m, $expected)),
            }
        }
    )*};
}

impl<'de> serde::Deserializer<'de> for ParamsDeserializer<'de, '_> {
    type Error = ParamsError;

    forward_shapes!();

    leaf_only! {
        deserialize_bool => "a boolean",
        deserialize_i8 => "an integer",
        deserialize_i16 => "an integer",
        deserialize_i32 => "an integer",
        deserialize_i64 => "an integer",
        deserialize_i128 => "an integer",
        deserialize_u8 => "an integer",
        deserialize_u16 => "an integer",
        deserialize_u32 => "an integer",
        deserialize_u64 => "an integer",
        deserialize_u128 => "an integer",
        deserialize_f32 => "a number",
        deserialize_f64 => "a number",
        deserialize_char => "a single character",
        deserialize_str => "a string",
        deserialize_string => "a string",
        deserialize_bytes => "a string",
        deserialize_byte_buf => "a string",
        deserialize_identifier => "a name",
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_any(visitor),
            Params::Map(m) if m.is_list() => visitor.visit_seq(MapDe::new(m.entries(), self.path)),
            Params::Map(m) => visitor.visit_map(MapDe::new(m.entries(), self.path)),
        }
        .map_err(at(&self.path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_option(visitor),
            Params::Map(_) => visitor.visit_some(self).map_err(at(&self.path)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_unit(visitor),
            Params::Map(m) if m.is_empty() => visitor.visit_unit().map_err(at(&self.path)),
            Params::Map(m) => Err(self.not_a_value(m, "an empty value")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        visitor.visit_newtype_struct(self).map_err(at(&self.path))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_seq(visitor),
            Params::Map(m) => visitor
                .visit_seq(MapDe::new(m.entries(), self.path))
                .map_err(at(&self.path)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_map(visitor),
            Params::Map(m) => visitor
                .visit_map(MapDe::new(m.entries(), self.path))
                .map_err(at(&self.path)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        match self.node {
            Params::Value(s) => self.leaf(s).deserialize_enum(name, variants, visitor),
            Params::Map(m) => match m.entries() {
                [entry] => visitor
                    .visit_enum(MapEnum::new(entry, self.path))
                    .map_err(at(&self.path)),
                _ => Err(self.not_a_value(m, "a variant name or a map with one entry")),
            },
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        visitor.visit_unit().map_err(at(&self.path))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;

    use super::*;
    use crate::{ParamsErrorKind, from_params, from_query_str, parse_query};

    #[test]
    fn enums() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Shape {
            Dot,
            Circle { r: u8 },
            Square(u16),
            Pair(u8, u8),
        }
        let shapes: HashMap<String, Shape> =
            from_query_str("a=dot&b[circle][r]=2&c[square]=9&d[pair][]=1&d[pair][]=2&e[dot]=")
                .unwrap();
        assert_eq!(shapes["a"], Shape::Dot);
        assert_eq!(shapes["b"], Shape::Circle { r: 2 });
        assert_eq!(shapes["c"], Shape::Square(9));
        assert_eq!(shapes["d"], Shape::Pair(1, 2));
        assert_eq!(shapes["e"], Shape::Dot);
        let err = from_query_str::<HashMap<String, Shape>>("a=hexagon").unwrap_err();
        assert_eq!(err.path(), "a");
        assert!(matches!(err.kind(), ParamsErrorKind::Custom(m) if m.contains("hexagon")));
        assert!(from_query_str::<HashMap<String, Shape>>("a[dot]=1&a[x]=2").is_err());
        assert!(from_query_str::<HashMap<String, Shape>>("a[dot]=x").is_err());
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // only deserialised
    #[serde(rename_all = "lowercase")]
    enum Sort {
        Asc,
        Desc,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Filter {
        status: Option<String>,
        #[serde(default)]
        ids: Vec<u64>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Listing {
        page: Option<u32>,
        sort: Option<Sort>,
        filter: Option<Filter>,
    }

    #[test]
    fn error_messages_name_the_path() {
        let err = from_query_str::<Listing>("page=abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for "page": expected an integer, got "abc""#
        );
        let err = from_query_str::<Listing>("filter[ids][]=1&filter[ids][]=x").unwrap_err();
        assert_eq!(err.path(), "filter[ids][1]");
        let err = from_query_str::<Listing>("page[]=1").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for "page": expected an integer, got a list"#
        );
        let err = from_query_str::<Listing>("sort=up").unwrap_err();
        assert_eq!(err.path(), "sort");
        let err = from_query_str::<Filter>("status[x]=1").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for "status": expected a string, got a map"#
        );

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Need {
            inner: Inner,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        #[serde(deny_unknown_fields)]
        struct Inner {
            x: u8,
        }
        let err = from_query_str::<Need>("inner[y]=1").unwrap_err();
        assert_eq!(err.path(), "inner[y]");
        let err = from_query_str::<Need>("inner[x]=1&inner[z]=2").unwrap_err();
        assert_eq!(err.path(), "inner[z]");
        let err = from_query_str::<Need>("").unwrap_err();
        assert_eq!(err.to_string(), r#"missing parameter "inner""#);
        let err = from_query_str::<Need>("inner=").unwrap_err();
        assert_eq!(err.to_string(), r#"missing parameter "inner[x]""#);
        let err = from_query_str::<Need>("inner=5").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for "inner": expected a map, got "5""#
        );
        let err = from_params::<u8>(&Params::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value for the parameters: expected an integer, got a map"
        );
    }

    #[test]
    fn borrowing_any_and_units() {
        #[derive(Debug, Deserialize)]
        struct B<'a> {
            name: &'a str,
            #[serde(borrow)]
            tags: Vec<&'a str>,
        }
        let p = parse_query("name=n&tags[]=x");
        let b: B<'_> = p.deserialize().unwrap();
        assert_eq!((b.name, b.tags), ("n", vec!["x"]));

        let v: serde_json::Value = parse_query("a[]=1&b[x]=2&c=").deserialize().unwrap();
        assert_eq!(v, serde_json::json!({"a": ["1"], "b": {"x": "2"}, "c": ""}));
        let empty: serde_json::Value = Params::default().deserialize().unwrap();
        assert_eq!(empty, serde_json::json!([]));

        assert_eq!(Params::default().deserialize::<()>(), Ok(()));
        assert!(parse_query("a=1").deserialize::<()>().is_err());
        let o: Option<HashMap<String, String>> = parse_query("a=1").deserialize().unwrap();
        assert_eq!(o.unwrap()["a"], "1");
        let _ = format!("{:?}", ParamsDeserializer::new(&Params::default()));
    }
}
