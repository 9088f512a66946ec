//! Building [`Params`] from the JSON trees RoadRunner sends (parsed
//! urlencoded/multipart bodies, uploads), the way PHP's
//! `json_decode($body, true)` sees them.

use serde_json::Value;

use super::key::{Key, rank};
use super::map::ParamMap;
use super::tree::Params;
use crate::JsonError;

impl Params {
    /// Converts a JSON tree the way PHP's `json_decode(…, true)` would:
    ///
    /// * objects become maps, with canonical-integer keys (`"0"`, `"12"`, `"-3"`) becoming
    ///   integer [`Key`]s; the integer keys come first, in numeric order, then the other keys
    ///   in the order the object gives them (see below);
    /// * arrays become maps with the keys `0..n` (lists);
    /// * strings become [`Params::Value`]; numbers and booleans become their
    ///   JSON text (`1.5`, `true`, `false`); `null` becomes `""`.
    ///
    /// RoadRunner only puts strings, arrays and objects into the form tree
    /// (rr-rs's `docs/http.md`, "The body part"), so the last rule matters only for other JSON input.
    ///
    /// **Key order.** RoadRunner builds its trees in Go maps, and Go's `encoding/json` writes
    /// map keys sorted as text: `rows[0]` … `rows[11]` arrive as `0, 1, 10, 11, 2, …`, and
    /// the order the client sent the fields in is gone. Reading them in that order would put
    /// row 10 before row 2 in a `Vec`, so integer keys are put back in numeric order (a
    /// `Vec<Row>` of `rows[i][…]` fields comes out in the order of `i`, and `{"0":…,"1":…}`
    /// is a list). String keys keep the order they have in the object: sorted as text for
    /// RoadRunner's trees (and for any `serde_json::Value` built without serde_json's
    /// `preserve_order` feature).
    ///
    /// ```
    /// use rr_params::Params;
    ///
    /// let body = serde_json::json!({"a": "1", "b": ["x", "y"], "c": {"0": "z"}});
    /// let p = Params::from_json(&body);
    /// assert!(p.get("b").unwrap().is_list());
    /// assert!(p.get("c").unwrap().is_list()); // {"0": …} is a PHP list
    /// assert_eq!(p.get_path(&["b", "1"]).and_then(|v| v.as_str()), Some("y"));
    /// ```
    pub fn from_json(value: &Value) -> Params {
        match value {
            Value::Null => Params::Value(String::new()),
            Value::Bool(b) => Params::Value(b.to_string()),
            Value::Number(n) => Params::Value(n.to_string()),
            Value::String(s) => Params::Value(s.clone()),
            Value::Array(items) => list(items.iter().map(Params::from_json)),
            Value::Object(object) => object_map(
                object
                    .iter()
                    .map(|(k, v)| (Key::from(k.as_str()), Params::from_json(v))),
            ),
        }
    }

    /// [`Params::from_json`] of a tree it may take apart: strings and keys are moved, not
    /// copied.
    fn from_json_owned(value: Value) -> Params {
        match value {
            Value::Null => Params::Value(String::new()),
            Value::Bool(b) => Params::Value(b.to_string()),
            Value::Number(n) => Params::Value(n.to_string()),
            Value::String(s) => Params::Value(s),
            Value::Array(items) => list(items.into_iter().map(Params::from_json_owned)),
            Value::Object(object) => object_map(
                object
                    .into_iter()
                    .map(|(k, v)| (Key::from(k), Params::from_json_owned(v))),
            ),
        }
    }

    /// Parses a body part sent with `parsed = true` (rr-rs's `docs/http.md`, "The body part"):
    /// empty input is an empty map (the PHP library substitutes `{}`),
    /// anything else must be JSON and goes through [`Params::from_json`].
    ///
    /// ```
    /// use rr_params::Params;
    ///
    /// let p = Params::from_json_bytes(br#"{"a":"1","b":["x","y"]}"#).unwrap();
    /// assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"a":"1","b":["x","y"]}"#);
    /// assert!(Params::from_json_bytes(b"").unwrap().is_empty());
    /// assert!(Params::from_json_bytes(b"{oops").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`JsonError`] when the bytes are not JSON.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Params, JsonError> {
        if bytes.is_empty() {
            return Ok(Params::default());
        }
        let value: Value = serde_json::from_slice(bytes).map_err(JsonError::from)?;
        Ok(Params::from_json_owned(value))
    }
}

/// A PHP list of `items`, keyed `0..n`.
fn list(items: impl Iterator<Item = Params>) -> Params {
    let mut map = ParamMap::new();
    for item in items {
        map.push(item);
    }
    Params::Map(map)
}

/// A PHP array of a JSON object's entries: integer keys first, in numeric order, then the
/// string keys in the object's order (see [`Params::from_json`] for why).
fn object_map(entries: impl Iterator<Item = (Key, Params)>) -> Params {
    let mut entries: Vec<(Key, Params)> = entries.collect();
    if !entries.is_sorted_by_key(|(k, _)| rank(k.into())) {
        // Stable: string keys keep their relative order.
        entries.sort_by_key(|(k, _)| rank(k.into()));
    }
    let mut map = ParamMap::new();
    for (k, v) in entries {
        // JSON object keys are unique, and the string → key
        // conversion is injective, so no lookup is needed.
        map.append_unique(k, v);
    }
    Params::Map(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roundtrip(v: Value) -> String {
        serde_json::to_string(&Params::from_json(&v)).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(roundtrip(json!(null)), r#""""#);
        assert_eq!(roundtrip(json!(true)), r#""true""#);
        assert_eq!(roundtrip(json!(false)), r#""false""#);
        assert_eq!(roundtrip(json!(12)), r#""12""#);
        assert_eq!(roundtrip(json!(-1.5)), r#""-1.5""#);
        assert_eq!(roundtrip(json!("s")), r#""s""#);
    }

    #[test]
    fn keys_and_lists() {
        let p = Params::from_json(&json!({"1": "a", "01": "b", "-2": "c", "x": []}));
        let keys: Vec<Key> = p.iter().map(|(k, _)| k.clone()).collect();
        assert!(keys.contains(&Key::Int(1)));
        assert!(keys.contains(&Key::Int(-2)));
        assert!(keys.contains(&Key::Str("01".into())));
        assert!(p.get("x").unwrap().is_list());
        let mut m = p.as_map().unwrap().clone();
        assert_eq!(m.push("d".into()), Some(2));
    }

    #[test]
    fn owned_and_borrowed_conversions_agree() {
        let v = json!({"a": [null, true, 1.5, "s"], "2": {"-1": "x", "01": []}, "k": -7});
        assert_eq!(Params::from_json_owned(v.clone()), Params::from_json(&v));
        let owned = Params::from_json_owned(v);
        assert_eq!(owned.as_map().unwrap().clone().push("n".into()), Some(3));
    }

    #[test]
    fn server_form_tree_example() {
        // The example body of `docs/http.md` (vector G) and a nested form.
        let p = Params::from_json_bytes(br#"{"a":"1","b":["x","y"]}"#).unwrap();
        assert_eq!(p.get("a").and_then(Params::as_str), Some("1"));
        let p = Params::from_json_bytes(br#"{"options":{"0":{"id":"5"}}}"#).unwrap();
        assert!(p.get("options").unwrap().is_list());
        assert_eq!(
            p.get_path(&["options", "0", "id"]).and_then(Params::as_str),
            Some("5")
        );
    }

    /// rr's trees come from Go maps, whose keys `encoding/json` writes sorted as text:
    /// `0, 1, 10, 11, 2, …`. Integer keys must come out in numeric order.
    #[test]
    fn integer_keys_of_a_server_tree_come_out_in_numeric_order() {
        #[derive(serde::Deserialize)]
        struct Row {
            name: String,
        }
        #[derive(serde::Deserialize)]
        struct Form {
            rows: Vec<Row>,
        }
        let mut keys: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        keys.sort();
        assert_eq!(keys[2], "10", "the order Go writes");
        let rows: Vec<String> = keys
            .iter()
            .map(|k| format!(r#""{k}":{{"name":"a{k}"}}"#))
            .collect();
        let body = format!(r#"{{"rows":{{{}}},"title":"t"}}"#, rows.join(","));
        let form = Params::from_json_bytes(body.as_bytes()).unwrap();
        assert!(form.get("rows").unwrap().is_list());
        let parsed: Form = form.deserialize().unwrap();
        let names: Vec<&str> = parsed.rows.iter().map(|r| r.name.as_str()).collect();
        let want: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
        assert_eq!(names, want);
        // The borrowed conversion orders the same way, negative keys first.
        let value: Value =
            serde_json::from_str(r#"{"x":"s","10":"c","2":"b","-1":"a","b":"t"}"#).unwrap();
        let keys: Vec<String> = Params::from_json(&value)
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        assert_eq!(keys, ["-1", "2", "10", "b", "x"]);
    }

    #[test]
    fn uploads_tree_numbers_become_text() {
        let p = Params::from_json(&json!({"avatar": {"name": "me.png", "size": 1024, "error": 0}}));
        assert_eq!(
            p.get_path(&["avatar", "size"]).and_then(Params::as_str),
            Some("1024")
        );
        assert_eq!(
            p.get_path(&["avatar", "error"]).and_then(Params::as_str),
            Some("0")
        );
    }
}
