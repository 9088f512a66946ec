//! Query-string parsing with the semantics of PHP 8's `parse_str`
//! (`php_default_treat_data` + `php_register_variable_ex`, default ini).

use super::key::Key;
use super::limits::{LimitReport, QueryLimits};
use super::map::ParamMap;
use super::tree::Params;

/// Parses a raw query string exactly like PHP 8's `parse_str` (default ini:
/// separator `&`, `max_input_vars = 1000`, `max_input_nesting_level = 64`). Silent about what
/// those limits drop: [`QueryLimits::parse`] takes other limits and reports it (and rr-http's
/// `RequestExt::query` logs it).
///
/// * pairs are separated by `&` only; empty pairs are skipped, a pair
///   without `=` has the value `""`;
/// * names and values are `+`/`%XX` decoded (invalid escapes stay
///   literal); the decoded bytes become text with lossy UTF-8, and a name
///   ends at its first decoded NUL byte (the whole input at a raw NUL);
/// * leading spaces of a name are dropped; spaces and dots become `_` in the
///   base name (before the first `[`) but not inside brackets;
/// * `a[x][y]` nests, `a[]` (also `a[ ]`) appends at the next free integer
///   index, text after the last `]` is ignored, an unclosed `[` turns into
///   `_` (`x[a` → `x_a`, with spaces, dots and `[` after it also turned
///   into `_`);
/// * keys that are canonical decimal integers become integer keys;
/// * a later assignment replaces an earlier one (`a=1&a[b]=2` → `{"a":{"b":"2"}}`);
/// * a base name that only starts with `__Host-`/`__Secure-` because of the
///   mangling (e.g. `..Host-x`) is dropped, as PHP does for cookies' sake.
///
/// The result is always a [`Params::Map`].
///
/// ```
/// use rr_params::parse_query;
///
/// let q = parse_query("a[]=1&a[]=2&first+name=J%C3%B6rg&x[=y");
/// assert_eq!(
///     serde_json::to_string(&q).unwrap(),
///     r#"{"a":["1","2"],"first_name":"Jörg","x_":"y"}"#
/// );
/// ```
pub fn parse_query(raw: &str) -> Params {
    parse_with(raw, &QueryLimits::PHP).0
}

/// [`parse_query`] under `limits`, with what the limits dropped.
pub(super) fn parse_with(raw: &str, limits: &QueryLimits) -> (Params, LimitReport) {
    // PHP works on a C string: everything from a raw NUL on is invisible.
    let raw = raw.split('\0').next().unwrap_or_default();
    let mut root = ParamMap::new();
    let mut report = LimitReport::default();
    let mut pairs = raw.split('&').filter(|pair| !pair.is_empty());
    for pair in pairs.by_ref().take(limits.max_input_vars()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = lossy(url_decode(value.as_bytes()));
        let mut name = url_decode(name.as_bytes());
        if let Some(nul) = name.iter().position(|&b| b == 0) {
            name.truncate(nul);
        }
        if !register(&mut root, &lossy(name), value, limits.max_nesting_level()) {
            report.too_deep += 1;
        }
    }
    report.skipped_vars = pairs.count();
    (Params::Map(root), report)
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// PHP's `php_url_decode`: `+` is a space, `%` + two hex digits is a byte,
/// anything else (including a malformed escape) is kept as is.
fn url_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let digit = |j: usize| input.get(j).copied().and_then(hex);
                match (digit(i + 1), digit(i + 2)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// C `isspace` in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn mangle(c: char, also_bracket: bool) -> char {
    match c {
        ' ' | '.' => '_',
        '[' if also_bracket => '_',
        c => c,
    }
}

/// What a name turned into: a plain top-level name, or a base name with a
/// path of bracket segments (`None` = append, `[]`).
enum Target<'a> {
    Plain(String),
    Nested(String, Vec<Option<&'a str>>),
    Drop(Option<String>),
}

/// Splits a decoded variable name the way `php_register_variable_ex` does.
fn analyse(name: &str, max_nesting_level: usize) -> Target<'_> {
    let name = name.trim_start_matches(' ');
    let (base_raw, rest) = match name.find('[') {
        Some(i) => (&name[..i], Some(&name[i..])),
        None => (name, None),
    };
    let base: String = base_raw.chars().map(|c| mangle(c, false)).collect();
    for prefix in ["__Host-", "__Secure-"] {
        if base.starts_with(prefix) && !name.starts_with(prefix) {
            return Target::Drop(None);
        }
    }
    if base.is_empty() {
        return Target::Drop(None);
    }
    let Some(rest) = rest else {
        return Target::Plain(base);
    };
    let bytes = rest.as_bytes();
    let mut segments = Vec::new();
    let mut open = 0; // index of the current '[' in `rest`
    loop {
        if segments.len() >= max_nesting_level {
            return Target::Drop(Some(base));
        }
        let start = open + 1;
        let mut ip = start;
        if bytes.get(ip).copied().is_some_and(is_c_space) {
            ip += 1;
        }
        let close = if bytes.get(ip) == Some(&b']') {
            segments.push(None);
            ip
        } else if let Some(off) = rest[ip..].find(']') {
            segments.push(Some(&rest[start..ip + off]));
            ip + off
        } else if segments.is_empty() {
            // Unclosed first bracket: not an index, it all is one plain name.
            let tail = rest[start..].chars().map(|c| mangle(c, true));
            return Target::Plain(base + "_" + &tail.collect::<String>());
        } else {
            // Unclosed deeper bracket: ignored, assign at the path so far.
            break;
        };
        match bytes.get(close + 1) {
            Some(b'[') => open = close + 1,
            _ => break,
        }
    }
    Target::Nested(base, segments)
}

/// Registers one decoded `name=value` pair into `root`; `false` when the name was nested too
/// deep (and dropped, removing the variable of its base name as PHP does).
fn register(root: &mut ParamMap, name: &str, value: String, max_nesting_level: usize) -> bool {
    let (base, segments) = match analyse(name, max_nesting_level) {
        Target::Plain(base) => {
            root.insert(base, Params::Value(value));
            return true;
        }
        Target::Drop(Some(base)) => {
            root.remove(&Key::from(base));
            return false;
        }
        Target::Drop(None) => return true,
        Target::Nested(base, segments) => (base, segments),
    };
    let mut table = root;
    let mut index = Some(Key::from(base));
    for segment in segments {
        let child = match index {
            Some(key) => {
                let slot = table.slot(key);
                if !matches!(slot, Params::Map(_)) {
                    *slot = Params::Map(ParamMap::new());
                }
                slot
            }
            None => match table.push_slot(Params::Map(ParamMap::new())) {
                Some((_, slot)) => slot,
                None => return true,
            },
        };
        let Params::Map(map) = child else {
            return true;
        };
        table = map;
        index = segment.map(Key::from);
    }
    match index {
        Some(key) => {
            table.insert(key, Params::Value(value));
        }
        None => {
            table.push(Params::Value(value));
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> String {
        serde_json::to_string(&parse_query(raw)).unwrap()
    }

    // The `parse_str` rules, one case each.
    #[test]
    fn spec_table() {
        assert_eq!(q("name=world"), r#"{"name":"world"}"#);
        assert_eq!(q("a=1&a=2"), r#"{"a":"2"}"#);
        assert_eq!(q("a[]=1&a[]=2"), r#"{"a":["1","2"]}"#);
        assert_eq!(
            q("a[x]=1&a[y][]=2&a[y][]=3"),
            r#"{"a":{"x":"1","y":["2","3"]}}"#
        );
        assert_eq!(
            q("a[0]=x&a[2]=y&a[]=z"),
            r#"{"a":{"0":"x","2":"y","3":"z"}}"#
        );
        assert_eq!(
            q("first+name=J%C3%B6rg&last.name=x"),
            r#"{"first_name":"Jörg","last_name":"x"}"#
        );
        assert_eq!(
            q("a b=1&c.d=2&e[f.g]=3"),
            r#"{"a_b":"1","c_d":"2","e":{"f.g":"3"}}"#
        );
        assert_eq!(q(" lead=1"), r#"{"lead":"1"}"#);
        assert_eq!(q("x[=1"), r#"{"x_":"1"}"#);
        assert_eq!(q("x[a=1"), r#"{"x_a":"1"}"#);
        assert_eq!(q("x]=1"), r#"{"x]":"1"}"#);
        assert_eq!(q("a[b]c=1"), r#"{"a":{"b":"1"}}"#);
        assert_eq!(q("a[][b]=1&a[][b]=2"), r#"{"a":[{"b":"1"},{"b":"2"}]}"#);
        assert_eq!(q("=1&&b&c="), r#"{"b":"","c":""}"#);
        assert_eq!(q("a=%zz&b=%41"), r#"{"a":"%zz","b":"A"}"#);
        assert_eq!(q("a[b=1&a[c]=2"), r#"{"a_b":"1","a":{"c":"2"}}"#);
        assert_eq!(q("a=1;b=2"), r#"{"a":"1;b=2"}"#);
        assert_eq!(q("a%5B%5D=1&a%5B%5D=2"), r#"{"a":["1","2"]}"#);
        assert_eq!(q("a[ b ]=1"), r#"{"a":{" b ":"1"}}"#);
        assert_eq!(q("a=1&a[b]=2"), r#"{"a":{"b":"2"}}"#);
        assert_eq!(q("b[c]=2&b=1"), r#"{"b":"1"}"#);
    }

    #[test]
    fn spec_table_integer_keys() {
        let p = parse_query("a[1]=x&a[01]=y&a[-1]=z&a[1.5]=w");
        let keys: Vec<Key> = p.get("a").unwrap().iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            keys,
            [
                Key::Int(1),
                Key::Str("01".into()),
                Key::Int(-1),
                Key::Str("1.5".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"a":{"1":"x","01":"y","-1":"z","1.5":"w"}}"#
        );
    }

    #[test]
    fn spec_table_nesting_limit() {
        let deep = format!("a{}=1", "[x]".repeat(70));
        assert_eq!(q(&deep), "[]");
        assert_eq!(q(&format!("b=2&{deep}&c=3")), r#"{"b":"2","c":"3"}"#);
        // 64 levels are fine, 65 are not (and remove an existing variable).
        let ok = format!("a{}=1", "[]".repeat(64));
        let p = parse_query(&ok);
        let path = vec!["0"; 63];
        assert!(p.get("a").unwrap().get_path(&path).unwrap().is_list());
        let too_deep = format!("a=1&a{}=1", "[]".repeat(65));
        assert_eq!(q(&too_deep), "[]");
    }

    #[test]
    fn spec_table_max_input_vars() {
        let raw: Vec<String> = (0..1500).map(|i| format!("v{i}={i}")).collect();
        let p = parse_query(&raw.join("&"));
        assert_eq!(p.len(), 1000);
        assert!(p.get("v999").is_some() && p.get("v1000").is_none());
        // Pairs that are later dropped (empty name) still count.
        let raw: Vec<&str> = std::iter::repeat_n("=x", 1000).chain(["a=1"]).collect();
        assert_eq!(q(&raw.join("&")), "[]");
    }

    #[test]
    fn php_corner_cases() {
        // Deeper unclosed bracket: ignored, assigned at the path so far.
        assert_eq!(q("a[b][c=1"), r#"{"a":{"b":"1"}}"#);
        assert_eq!(q("a[][x=1"), r#"{"a":["1"]}"#);
        // Mangling after an unclosed bracket.
        assert_eq!(q("a.b[c d.e[f=1"), r#"{"a_b_c_d_e_f":"1"}"#);
        // Whitespace-only index appends; one whitespace is skipped.
        assert_eq!(
            q("a[ ]=1&a[%09]=2&a[  ]=3"),
            r#"{"a":{"0":"1","1":"2","  ":"3"}}"#
        );
        // Empty base names are dropped, also with brackets.
        assert_eq!(q("[a]=1&%20=2&+[]=3"), "[]");
        // Integer keys at the top level and nested.
        assert_eq!(q("1=a&-2=b&01=c"), r#"{"1":"a","-2":"b","01":"c"}"#);
        // Negative keys move the append index (PHP >= 8.0).
        assert_eq!(q("a[-5]=x&a[]=y"), r#"{"a":{"-5":"x","-4":"y"}}"#);
        // Append after i64::MAX is dropped.
        assert_eq!(
            q("a[9223372036854775807]=x&a[]=y&a[][b]=z"),
            r#"{"a":{"9223372036854775807":"x"}}"#
        );
        // Replacement keeps the position of the key.
        assert_eq!(q("a=1&b=2&a[x]=3"), r#"{"a":{"x":"3"},"b":"2"}"#);
        assert_eq!(q("a[x]=1&b=2&a=3"), r#"{"a":"3","b":"2"}"#);
        // Trailing text after `]` and further groups.
        assert_eq!(q("a[b]c[d]=1&a[e]]=2"), r#"{"a":{"b":"1","e":"2"}}"#);
        // Only the first '=' splits.
        assert_eq!(q("a==b=c"), r#"{"a":"=b=c"}"#);
    }

    #[test]
    fn decoding() {
        assert_eq!(q("a=%"), r#"{"a":"%"}"#);
        assert_eq!(q("a=%4"), r#"{"a":"%4"}"#);
        assert_eq!(q("a=%4g%41"), r#"{"a":"%4gA"}"#);
        assert_eq!(q("a=%g41"), r#"{"a":"%g41"}"#);
        assert_eq!(q("a=1+2%2B3"), r#"{"a":"1 2+3"}"#);
        assert_eq!(q("a=%ff"), "{\"a\":\"\u{fffd}\"}");
        // Values are binary safe, names end at a decoded NUL.
        assert_eq!(q("a%00b=x%00y"), r#"{"a":"x\u0000y"}"#);
        // A raw NUL ends the input.
        assert_eq!(q("a=1\0&b=2"), r#"{"a":"1"}"#);
        assert_eq!(q("a%2Eb=1&a%20b[c.d]=2"), r#"{"a_b":{"c.d":"2"}}"#);
        assert_eq!(q("%2Bx=1"), r#"{"+x":"1"}"#);
    }

    #[test]
    fn host_and_secure_prefixes() {
        assert_eq!(q("..Host-x=1"), "[]");
        assert_eq!(q("__Host-x=1"), r#"{"__Host-x":"1"}"#);
        assert_eq!(q("_.Secure-x[a]=1"), "[]");
        assert_eq!(q(" __Secure-x=1"), r#"{"__Secure-x":"1"}"#);
        assert_eq!(q("__Host[-x=1"), r#"{"__Host_-x":"1"}"#);
    }
}
