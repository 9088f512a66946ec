//! The error of deserialising [`Params`](super::Params): which key failed and why.

use std::fmt;

use super::key::Key;

/// Why deserialising [`Params`](super::Params) into a type failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamsErrorKind {
    /// A value was present but could not be turned into the wanted type.
    InvalidValue {
        /// What was expected, e.g. `an integer`.
        expected: String,
        /// What was found, e.g. `"abc"` (quoted) or `a map`.
        got: String,
    },
    /// A required key is absent.
    Missing,
    /// Any other reason, as reported by the target type (for example an
    /// unknown enum variant or a failed custom validation).
    Custom(String),
}

/// Deserialising [`Params`](super::Params) failed at some key path.
///
/// The path is rendered PHP-style: `page`, `filter[status]`, `ids[2]`;
/// it is empty when the top level itself is wrong.
///
/// ```
/// use rr_params::{from_query_str, ParamsErrorKind};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Paging { page: u32 }
///
/// let err = from_query_str::<Paging>("page=abc").unwrap_err();
/// assert_eq!(err.to_string(), r#"invalid value for "page": expected an integer, got "abc""#);
/// assert_eq!(err.path(), "page");
/// assert!(matches!(err.kind(), ParamsErrorKind::InvalidValue { .. }));
///
/// let err = from_query_str::<Paging>("").unwrap_err();
/// assert_eq!(err.to_string(), r#"missing parameter "page""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ParamsError {
    /// `None` until the deserializer that saw the error attaches its path.
    path: Option<Vec<String>>,
    /// A missing field's name, appended to the path when it is attached.
    field: Option<String>,
    kind: ParamsErrorKind,
}

impl ParamsError {
    pub(crate) fn new(kind: ParamsErrorKind) -> Self {
        Self {
            path: None,
            field: None,
            kind,
        }
    }

    pub(crate) fn invalid(expected: impl Into<String>, got: impl Into<String>) -> Self {
        Self::new(ParamsErrorKind::InvalidValue {
            expected: expected.into(),
            got: got.into(),
        })
    }

    /// Attaches `path` unless a more precise path is already known.
    pub(crate) fn at(mut self, path: &Path<'_>) -> Self {
        if self.path.is_none() {
            let mut segments = path.segments();
            segments.extend(self.field.take());
            self.path = Some(segments);
        }
        self
    }

    /// Why it failed.
    ///
    /// ```
    /// use rr_params::{from_query_str, ParamsErrorKind};
    ///
    /// let err = from_query_str::<Vec<u8>>("a[]=300").unwrap_err();
    /// assert!(matches!(err.kind(), ParamsErrorKind::InvalidValue { .. }));
    /// ```
    pub fn kind(&self) -> &ParamsErrorKind {
        &self.kind
    }

    /// The key path, one element per level (`["filter", "status"]`);
    /// empty for the top level.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use rr_params::from_query_str;
    ///
    /// type Groups = HashMap<String, HashMap<String, Vec<u8>>>;
    /// let err = from_query_str::<Groups>("a[x][]=1&a[x][]=z").unwrap_err();
    /// assert_eq!(err.path_segments(), ["a", "x", "1"]);
    /// ```
    pub fn path_segments(&self) -> &[String] {
        self.path.as_deref().unwrap_or_default()
    }

    /// The key path rendered PHP-style (`filter[status]`); `""` for the top level.
    ///
    /// ```
    /// use rr_params::from_query_str;
    ///
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Filter { status: u8 }
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Query { filter: Filter }
    ///
    /// let err = from_query_str::<Query>("filter[status]=x").unwrap_err();
    /// assert_eq!(err.path(), "filter[status]");
    /// ```
    pub fn path(&self) -> String {
        let mut out = String::new();
        for (i, segment) in self.path_segments().iter().enumerate() {
            if i == 0 {
                out.push_str(segment);
            } else {
                out.push('[');
                out.push_str(segment);
                out.push(']');
            }
        }
        out
    }

    fn describe(&self) -> String {
        let path = self.path();
        let place = if path.is_empty() && self.field.is_none() {
            "the parameters".to_owned()
        } else if path.is_empty() {
            format!("{:?}", self.field.as_deref().unwrap_or_default())
        } else {
            format!("{path:?}")
        };
        match &self.kind {
            ParamsErrorKind::InvalidValue { expected, got } => {
                format!("invalid value for {place}: expected {expected}, got {got}")
            }
            ParamsErrorKind::Missing => format!("missing parameter {place}"),
            ParamsErrorKind::Custom(msg) => format!("invalid value for {place}: {msg}"),
        }
    }
}

impl serde::de::Error for ParamsError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(ParamsErrorKind::Custom(msg.to_string()))
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Self::invalid(exp.to_string(), unexp.to_string())
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Self::invalid(exp.to_string(), unexp.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(ParamsErrorKind::Missing)
        }
    }
}

/// `map_err` adapter attaching `path` (also pins visitor error types).
pub(crate) fn at<'a>(path: &'a Path<'_>) -> impl FnOnce(ParamsError) -> ParamsError + 'a {
    move |e| e.at(path)
}

/// Where the deserializer is in the tree; a borrowed linked list so that
/// descending costs nothing until an error needs the rendered path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'p> {
    /// The top level.
    Root,
    /// A map entry below `parent`.
    Key(&'p Path<'p>, &'p Key),
}

impl Path<'_> {
    fn segments(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut node = self;
        while let Path::Key(parent, key) = node {
            out.push(key.to_string());
            node = parent;
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::Error as _;

    #[test]
    fn paths_render_php_style() {
        let a = Key::from("filter");
        let b = Key::from("2");
        let root = Path::Root;
        let first = Path::Key(&root, &a);
        let second = Path::Key(&first, &b);
        let err = ParamsError::invalid("an integer", "\"x\"").at(&second);
        assert_eq!(err.path(), "filter[2]");
        assert_eq!(
            err.to_string(),
            r#"invalid value for "filter[2]": expected an integer, got "x""#
        );
        // The innermost path wins.
        assert_eq!(err.clone().at(&first).path(), "filter[2]");
    }

    #[test]
    fn missing_fields_and_root() {
        let a = Key::from("user");
        let root = Path::Root;
        let user = Path::Key(&root, &a);
        let err = ParamsError::missing_field("name").at(&user);
        assert_eq!(err.path_segments(), ["user", "name"]);
        assert_eq!(err.to_string(), r#"missing parameter "user[name]""#);
        assert_eq!(
            ParamsError::missing_field("page").to_string(),
            r#"missing parameter "page""#
        );
        let err = ParamsError::custom("boom").at(&Path::Root);
        assert_eq!(err.to_string(), "invalid value for the parameters: boom");
        assert_eq!(err.kind(), &ParamsErrorKind::Custom("boom".into()));
    }
}
