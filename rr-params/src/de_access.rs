//! serde access helpers walking a [`ParamMap`](super::ParamMap)'s entries as
//! a map, a sequence or an externally tagged enum.

use std::borrow::Cow;

use serde::Deserializer as _;
use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use super::de_node::ParamsDeserializer;
use super::de_value::StrDe;
use super::error::{ParamsError, Path};
use super::key::Key;
use super::tree::Params;

type Entry = (Key, Params);

/// The deserializer of an entry's key, as text, at the entry's path below `path`.
fn key_de<'de: 'a, 'a>(entry: &'de Entry, path: &'a Path<'_>) -> StrDe<'de, 'a> {
    let text = match &entry.0 {
        Key::Str(s) => Cow::Borrowed(s.as_str()),
        Key::Int(i) => Cow::Owned(i.to_string()),
    };
    StrDe {
        text,
        path: Path::Key(path, &entry.0),
    }
}

/// The deserializer of an entry's value, at the entry's path below `path`.
fn value_de<'de: 'a, 'a>(entry: &'de Entry, path: &'a Path<'_>) -> ParamsDeserializer<'de, 'a> {
    ParamsDeserializer::at(&entry.1, Path::Key(path, &entry.0))
}

/// The entries of a map: as a map, each key then its value; as a sequence, the values.
pub(crate) struct MapDe<'de, 'p> {
    iter: std::slice::Iter<'de, Entry>,
    current: Option<&'de Entry>,
    path: Path<'p>,
}

impl<'de, 'p> MapDe<'de, 'p> {
    pub(crate) fn new(entries: &'de [Entry], path: Path<'p>) -> Self {
        Self {
            iter: entries.iter(),
            current: None,
            path,
        }
    }
}

impl<'de> MapAccess<'de> for MapDe<'de, '_> {
    type Error = ParamsError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ParamsError> {
        let Some(entry) = self.iter.next() else {
            return Ok(None);
        };
        self.current = Some(entry);
        seed.deserialize(key_de(entry, &self.path)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ParamsError> {
        let Some(entry) = self.current.take() else {
            return Err(serde::de::Error::custom(
                "map value requested before its key",
            ));
        };
        seed.deserialize(value_de(entry, &self.path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// As a sequence: the values in insertion order (PHP `array_values`).
impl<'de> SeqAccess<'de> for MapDe<'de, '_> {
    type Error = ParamsError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ParamsError> {
        self.iter
            .next()
            .map(|entry| seed.deserialize(value_de(entry, &self.path)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A one-entry map `{Variant: data}` read as an externally tagged enum.
pub(crate) struct MapEnum<'de, 'p> {
    entry: &'de Entry,
    path: Path<'p>,
}

impl<'de, 'p> MapEnum<'de, 'p> {
    pub(crate) fn new(entry: &'de Entry, path: Path<'p>) -> Self {
        Self { entry, path }
    }

    fn content<R>(&self, f: impl FnOnce(ParamsDeserializer<'de, '_>) -> R) -> R {
        f(value_de(self.entry, &self.path))
    }
}

impl<'de, 'p> EnumAccess<'de> for MapEnum<'de, 'p> {
    type Error = ParamsError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), ParamsError> {
        let variant = seed.deserialize(key_de(self.entry, &self.path))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for MapEnum<'de, '_> {
    type Error = ParamsError;

    /// `name[Variant]=` (an empty value) selects a unit variant.
    fn unit_variant(self) -> Result<(), ParamsError> {
        self.content(|de| de.deserialize_unit(serde::de::IgnoredAny))
            .map(|_| ())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, ParamsError> {
        self.content(|de| seed.deserialize(de))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        self.content(|de| de.deserialize_tuple(len, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamsError> {
        self.content(|de| de.deserialize_struct("", fields, visitor))
    }
}

/// A sequence holding exactly one text value.
pub(crate) struct OneSeq<'de, 'p>(pub(crate) Option<StrDe<'de, 'p>>);

impl<'de> SeqAccess<'de> for OneSeq<'de, '_> {
    type Error = ParamsError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ParamsError> {
        self.0.take().map(|de| seed.deserialize(de)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.0.is_some()))
    }
}

/// A text value names a unit variant.
impl<'de, 'p> EnumAccess<'de> for StrDe<'de, 'p> {
    type Error = ParamsError;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, UnitOnly), ParamsError> {
        Ok((seed.deserialize(self)?, UnitOnly))
    }
}

/// The variant content of an enum given as plain text: there is none.
pub(crate) struct UnitOnly;

fn needs_data() -> ParamsError {
    ParamsError::invalid(
        "the variant's data as a map (`name[Variant]=…`)",
        "a plain value",
    )
}

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = ParamsError;

    fn unit_variant(self) -> Result<(), ParamsError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        _seed: T,
    ) -> Result<T::Value, ParamsError> {
        Err(needs_data())
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, ParamsError> {
        Err(needs_data())
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ParamsError> {
        Err(needs_data())
    }
}
