//! The query and form property: PHP-style query strings built from the pieces that break
//! naive parsers go through `parse_query` (which must give a map whose JSON round trip keeps
//! it, as PHP sees arrays), long and deep names must not overflow anything, and random
//! parameter trees and typed queries go through `from_params` into many target types, which
//! must give a value or a typed error with a message, never a panic.

use std::collections::{BTreeMap, HashMap};

use rr_params::{ParamMap, Params, from_params, parse_query};
use serde::Deserialize;

use crate::Draw as Rng;

fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.usize(..items.len())]
}

const ALPHABET: &[&str] = &[
    "a",
    "b",
    " ",
    "[",
    "]",
    "=",
    "&",
    "%",
    "2",
    "5",
    "B",
    "D",
    "+",
    ".",
    "0",
    "1",
    "-",
    "[]",
    "%5B",
    "%5D",
    "%00",
    "%ff",
    "\0",
    "é",
    "9223372036854775807",
];

fn random_query(rng: &mut Rng) -> String {
    let len = rng.usize(..40);
    (0..len).map(|_| pick(rng, ALPHABET)).collect()
}

/// A JSON value as a PHP array sees it: every list becomes a map from "0", "1"… to its items.
fn php_view(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Array(items) => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), php_view(v)))
                .collect(),
        ),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), php_view(v))).collect())
        }
        other => other.clone(),
    }
}

const KEYS: &[&str] = &[
    "page", "name", "tags", "flag", "inner", "x", "y", "mode", "0", "1", "2", "-1", "a",
];
const VALUES: &[&str] = &[
    "", "0", "1", "-1", "42", "300", "abc", "true", "on", "fast", "slow", "1.5", "é", "x y",
];

fn random_tree(rng: &mut Rng, depth: usize) -> Params {
    if depth == 0 || rng.usize(..3) == 0 {
        return Params::from(pick(rng, VALUES));
    }
    let mut map = ParamMap::new();
    for _ in 0..rng.usize(..5) {
        let child = random_tree(rng, depth - 1);
        if rng.usize(..3) == 0 {
            map.push(child);
        } else {
            map.insert(pick(rng, KEYS), child);
        }
    }
    Params::Map(map)
}

#[allow(dead_code)] // fields are only deserialised
#[derive(Debug, Deserialize)]
struct Inner {
    x: i64,
    #[serde(default)]
    y: Vec<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Fast,
    Slow,
    Custom(u8),
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Search<'a> {
    page: u32,
    name: Option<&'a str>,
    #[serde(default)]
    tags: Vec<u8>,
    #[serde(default)]
    flag: bool,
    inner: Option<Inner>,
    mode: Option<Mode>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    a: (u8, String),
    #[serde(rename = "0")]
    zero: Option<char>,
}

/// What a case gave: how many deserialisations succeeded and how many were refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Values deserialised.
    pub ok: usize,
    /// Typed errors.
    pub err: usize,
}

fn query_round_trip(rng: &mut Rng) {
    let raw = random_query(rng);
    let params = parse_query(&raw);
    assert!(params.as_map().is_some(), "{raw:?}");
    let json = serde_json::to_string(&params).expect("serialises");
    // The tree survives a JSON round trip. serde_json's `Value` sorts object keys, so
    // `{"1":…,"0":…}` comes back as `{"0":…,"1":…}`, which reads as a list (as PHP's
    // `json_decode` reads it): compare the way PHP sees arrays, lists as index-keyed maps.
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let back = serde_json::to_value(Params::from_json(&value)).expect("serialises");
    assert_eq!(php_view(&back), php_view(&value), "{raw:?}");
}

fn long_and_deep(rng: &mut Rng) {
    let mut raw = String::new();
    for _ in 0..rng.usize(..3000) {
        raw.push_str(pick(rng, &["a", "[", "]", "[]", "&", "=", "b[c]"]));
    }
    let _ = serde_json::to_string(&parse_query(&raw)).expect("serialises");
}

fn count(results: &[Result<(), rr_params::ParamsError>], counts: &mut Counts) {
    for r in results {
        match r {
            Ok(()) => counts.ok += 1,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                counts.err += 1;
            }
        }
    }
}

fn random_trees(rng: &mut Rng, counts: &mut Counts) {
    let tree = random_tree(rng, 4);
    count(
        &[
            from_params::<Search<'_>>(&tree).map(drop),
            from_params::<Strict>(&tree).map(drop),
            from_params::<HashMap<String, Vec<u16>>>(&tree).map(drop),
            from_params::<BTreeMap<i32, Option<f64>>>(&tree).map(drop),
            from_params::<serde_json::Value>(&tree).map(drop),
            from_params::<Vec<Mode>>(&tree).map(drop),
        ],
        counts,
    );
}

fn typed_query(rng: &mut Rng, counts: &mut Counts) {
    let mut raw = String::new();
    for i in 0..rng.usize(..6) {
        if i > 0 {
            raw.push('&');
        }
        raw.push_str(pick(
            rng,
            &["page", "tags[]", "inner[x]", "inner[y][]", "mode", "name"],
        ));
        raw.push('=');
        raw.push_str(pick(rng, VALUES));
    }
    let tree = parse_query(&raw);
    count(&[from_params::<Search<'_>>(&tree).map(drop)], counts);
}

/// Runs one case drawn from `data` (panics on a finding).
///
/// ```
/// let counts = rr_fuzz_props::params::check(&[1; 64]);
/// eprintln!("{counts:?}");
/// ```
pub fn check(data: &[u8]) -> Counts {
    let mut rng = Rng::new(data);
    let mut counts = Counts::default();
    match rng.usize(..8) {
        0..=2 => query_round_trip(&mut rng),
        3 => long_and_deep(&mut rng),
        4..=6 => random_trees(&mut rng, &mut counts),
        _ => typed_query(&mut rng, &mut counts),
    }
    counts
}
