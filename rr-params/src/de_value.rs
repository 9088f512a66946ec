//! Deserialising one string (a leaf value or a map key): numbers, booleans
//! and the like are parsed from the text on demand.

use std::borrow::Cow;
use std::num::{IntErrorKind, ParseIntError};
use std::str::FromStr;

use serde::de::Visitor;

use super::de_access::{MapDe, OneSeq};
use super::error::{ParamsError, Path, at};

/// Deserializer over one piece of text found at `path`.
pub(crate) struct StrDe<'de, 'p> {
    pub(crate) text: Cow<'de, str>,
    pub(crate) path: Path<'p>,
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn parse_int<T: FromStr<Err = ParseIntError>>(s: &str, ty: &str) -> Result<T, ParamsError> {
    s.parse().map_err(|e: ParseIntError| {
        let unsigned = ty.starts_with('u');
        let expected = match e.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
                format!("an integer that fits in {ty}")
            }
            _ if unsigned && s.starts_with('-') => "a non-negative integer".to_owned(),
            _ => "an integer".to_owned(),
        };
        ParamsError::invalid(expected, quoted(s))
    })
}

/// Accepted spellings of booleans (ASCII case-insensitive): HTML checkboxes
/// send `on`; PHP treats `""` and `"0"` as false.
fn parse_bool(s: &str) -> Result<bool, ParamsError> {
    const TRUE: [&str; 4] = ["true", "1", "on", "yes"];
    const FALSE: [&str; 5] = ["false", "0", "off", "no", ""];
    if TRUE.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Ok(true)
    } else if FALSE.iter().any(|f| s.eq_ignore_ascii_case(f)) {
        Ok(false)
    } else {
        Err(ParamsError::invalid(
            "a boolean (true/false, 1/0, on/off, yes/no)",
            quoted(s),
        ))
    }
}

macro_rules! int_methods {
    ($($method:ident => $visit:ident($ty:ident)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
            let path = self.path;
            let n = parse_int::<$ty>(&self.text, stringify!($ty)).map_err(at(&path))?;
            visitor.$visit(n).map_err(at(&path))
        }
    )*};
}

macro_rules! float_methods {
    ($($method:ident => $visit:ident($ty:ident)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
            let path = self.path;
            let n = self
                .text
                .parse::<$ty>()
                .map_err(|_| ParamsError::invalid("a number", quoted(&self.text)).at(&path))?;
            visitor.$visit(n).map_err(at(&path))
        }
    )*};
}

/// The `Deserializer` methods that read a shape through a simpler one, the same for both
/// deserializers: a unit struct as a unit, tuples as sequences, a struct as a map.
macro_rules! forward_shapes {
    () => {
        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, ParamsError> {
            self.deserialize_unit(visitor)
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, ParamsError> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, ParamsError> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, ParamsError> {
            self.deserialize_map(visitor)
        }
    };
}
pub(crate) use forward_shapes;

impl<'de> StrDe<'de, '_> {
    fn visit_text<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        match self.text {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
        .map_err(at(&path))
    }
}

impl<'de> serde::Deserializer<'de> for StrDe<'de, '_> {
    type Error = ParamsError;

    forward_shapes!();

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        self.visit_text(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        let b = parse_bool(&self.text).map_err(at(&path))?;
        visitor.visit_bool(b).map_err(at(&path))
    }

    int_methods! {
        deserialize_i8 => visit_i8(i8),
        deserialize_i16 => visit_i16(i16),
        deserialize_i32 => visit_i32(i32),
        deserialize_i64 => visit_i64(i64),
        deserialize_i128 => visit_i128(i128),
        deserialize_u8 => visit_u8(u8),
        deserialize_u16 => visit_u16(u16),
        deserialize_u32 => visit_u32(u32),
        deserialize_u64 => visit_u64(u64),
        deserialize_u128 => visit_u128(u128),
    }

    float_methods! {
        deserialize_f32 => visit_f32(f32),
        deserialize_f64 => visit_f64(f64),
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        let mut chars = self.text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(ParamsError::invalid(
                "a single character",
                quoted(&self.text),
            )),
        }
        .map_err(at(&path))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        self.visit_text(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        self.visit_text(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        match self.text {
            Cow::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Cow::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
        }
        .map_err(at(&path))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        self.deserialize_bytes(visitor)
    }

    /// An empty string is `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        if self.text.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
        .map_err(at(&path))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        if self.text.is_empty() {
            visitor.visit_unit()
        } else {
            Err(ParamsError::invalid("an empty value", quoted(&self.text)))
        }
        .map_err(at(&path))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        let path = self.path;
        visitor.visit_newtype_struct(self).map_err(at(&path))
    }

    /// A single value is a one-element sequence (`a=1` → `["1"]`).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        visitor.visit_seq(OneSeq(Some(self))).map_err(at(&path))
    }

    /// Only an empty string can stand for a map (an empty one).
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        if self.text.is_empty() {
            visitor.visit_map(MapDe::new(&[], path))
        } else {
            Err(ParamsError::invalid("a map", quoted(&self.text)))
        }
        .map_err(at(&path))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        let path = self.path;
        visitor.visit_enum(self).map_err(at(&path))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        self.visit_text(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamsError> {
        let path = self.path;
        visitor.visit_unit().map_err(at(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn de<'de, T: Deserialize<'de>>(s: &'de str) -> Result<T, ParamsError> {
        T::deserialize(StrDe {
            text: Cow::Borrowed(s),
            path: Path::Root,
        })
    }

    #[test]
    fn numbers() {
        assert_eq!(de::<u8>("255"), Ok(255));
        assert_eq!(de::<i64>("-12"), Ok(-12));
        assert_eq!(de::<u128>("1").unwrap(), 1);
        assert_eq!(de::<f64>("1.5"), Ok(1.5));
        let err = de::<u8>("256").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value for the parameters: expected an integer that fits in u8, got "256""#
        );
        assert!(
            de::<u32>("-1")
                .unwrap_err()
                .to_string()
                .contains("non-negative")
        );
        assert!(
            de::<i32>("")
                .unwrap_err()
                .to_string()
                .contains("an integer")
        );
        assert!(de::<f32>("x").unwrap_err().to_string().contains("a number"));
    }

    #[test]
    fn booleans_chars_strings() {
        for t in ["true", "1", "on", "YES"] {
            assert_eq!(de::<bool>(t), Ok(true), "{t}");
        }
        for f in ["false", "0", "off", "no", ""] {
            assert_eq!(de::<bool>(f), Ok(false), "{f}");
        }
        assert!(de::<bool>("2").is_err());
        assert_eq!(de::<char>("é"), Ok('é'));
        assert!(de::<char>("ab").is_err() && de::<char>("").is_err());
        assert_eq!(de::<&str>("borrowed"), Ok("borrowed"));
        assert_eq!(de::<String>("x"), Ok("x".to_owned()));
        assert_eq!(de::<serde_bytes_like::Bytes>("ab").unwrap().0, b"ab");
    }

    #[test]
    fn options_units_seqs_enums() {
        assert_eq!(de::<Option<u8>>(""), Ok(None));
        assert_eq!(de::<Option<u8>>("3"), Ok(Some(3)));
        assert_eq!(de::<()>(""), Ok(()));
        assert!(de::<()>("x").is_err());
        assert_eq!(de::<Vec<u8>>("7"), Ok(vec![7]));
        assert_eq!(de::<(String,)>("a"), Ok(("a".to_owned(),)));
        assert!(
            de::<std::collections::HashMap<String, String>>("")
                .unwrap()
                .is_empty()
        );
        assert!(de::<std::collections::HashMap<String, String>>("x").is_err());

        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Mode {
            Fast,
            Slow(u8),
        }
        assert_eq!(de::<Mode>("fast"), Ok(Mode::Fast));
        assert!(de::<Mode>("slow").is_err());
        assert!(de::<Mode>("other").is_err());
    }

    mod serde_bytes_like {
        /// Minimal byte-buffer target exercising `deserialize_bytes`.
        pub(super) struct Bytes(pub(super) Vec<u8>);
        impl<'de> serde::Deserialize<'de> for Bytes {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Bytes;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("bytes")
                    }
                    fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                        Ok(Bytes(v.to_vec()))
                    }
                }
                d.deserialize_bytes(V)
            }
        }
    }
}
