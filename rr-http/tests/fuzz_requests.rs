//! A deterministic fuzz loop over request decoding: random bytes, well-formed protobuf and
//! JSON request heads filled with hostile text, and mutations of both go through
//! [`decode_request`], and every accessor of [`RequestExt`] is then called on what comes out.
//!
//! Checked for every input:
//!
//! * nothing panics, whatever the bytes (a panic fails the test and names the case);
//! * a well-formed head whose method is an HTTP token always decodes (a decoder that refuses
//!   what RoadRunner can send would drop real requests), with its method, headers that `http`
//!   can hold, cookies, attributes, raw query and form flag carried over;
//! * a decoded request is internally sound: a `Host` header whenever the URI has an authority,
//!   header values without CR, LF or NUL, a safe file name for every uploaded file.
//!
//! `RR_HTTP_FUZZ_ITERATIONS` and `RR_HTTP_FUZZ_SEED` override the defaults;
//! `RR_HTTP_FUZZ_CASE=<case seed>` replays the one case a failure names.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;
use prost::Message;
use rr_http::rr_worker::Payload;
use rr_http::rr_worker::goridge::Flags;
use rr_http::{RequestExt, decode_request};
use rr_proto::http::v1 as pb;
use serde_json::{Value, json};

const DEFAULT_ITERATIONS: u64 = 30_000;
const DEFAULT_SEED: u64 = 0xD1B5_4A32_D192_ED03;

use fastrand::Rng;

/// Up to `max` random bytes.
fn random_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    let mut bytes = vec![0; rng.usize(..=max)];
    rng.fill(&mut bytes);
    bytes
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// Pieces text is built from: what URIs, headers and PHP-style keys are made of, plus the
/// bytes that break naive code (CR, LF, NUL, `%` escapes, brackets, multi-byte characters).
const PIECES: &[&str] = &[
    "a", "Z", "0", "9", "-", "_", ".", "~", "/", "?", "#", "&", "=", "[", "]", "[]", "%", "%2",
    "%41", "%zz", "+", " ", "\t", "\r", "\n", "\0", ":", "@", ";", ",", "\"", "<", ">", "{", "|",
    "\\", "é", "😀", "\u{7f}", "\u{80}", "key", "http://", "https://", "//", "..", "x[a][b]",
    "a[]=1", "%5B%5D", "[[", "]]", "a[", "]a", "0x", "-1", "1e9", "null",
];

fn text(rng: &mut Rng, max_pieces: usize) -> String {
    let n = rng.usize(..max_pieces + 1);
    (0..n).map(|_| *pick(rng, PIECES)).collect()
}

fn token(rng: &mut Rng) -> String {
    const TOKENS: &[&str] = &[
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PURGE", "X-CUSTOM", "get",
    ];
    (*pick(rng, TOKENS)).to_owned()
}

fn method(rng: &mut Rng) -> String {
    if rng.usize(..8) == 0 {
        text(rng, 3)
    } else {
        token(rng)
    }
}

fn uri(rng: &mut Rng) -> String {
    match rng.usize(..5) {
        0 => text(rng, 12),
        1 => format!("/{}", text(rng, 8)),
        _ => format!(
            "{}{}{}/{}?{}",
            pick(rng, &["http://", "https://", "", "http:///"]),
            pick(
                rng,
                &[
                    "localhost",
                    "example.com:8080",
                    "user:pw@h",
                    "[::1]:80",
                    "",
                    "ho st"
                ]
            ),
            if rng.usize(..4) == 0 {
                text(rng, 2)
            } else {
                String::new()
            },
            text(rng, 6),
            text(rng, 6)
        ),
    }
}

fn header_name(rng: &mut Rng) -> String {
    if rng.usize(..5) == 0 {
        text(rng, 3)
    } else {
        (*pick(
            rng,
            &[
                "Accept",
                "Content-Type",
                "Cookie",
                "Host",
                "X-Forwarded-For",
                "x-lower",
                "",
            ],
        ))
        .to_owned()
    }
}

fn values(rng: &mut Rng) -> Vec<String> {
    (0..rng.usize(..3)).map(|_| text(rng, 5)).collect()
}

/// A server-built uploads tree: sometimes well formed, sometimes anything JSON.
fn uploads_json(rng: &mut Rng, depth: usize) -> Value {
    let file = |rng: &mut Rng| {
        json!({
            "name": text(rng, 4),
            "mime": text(rng, 2),
            "size": pick(rng, &[json!(0), json!(12), json!(-1), json!("7"), json!(1.5)]).clone(),
            "error": pick(rng, &[json!(0), json!(4), json!(99), json!(null)]).clone(),
            "tmpName": text(rng, 4),
        })
    };
    match rng.usize(..if depth > 3 { 3 } else { 6 }) {
        0 => file(rng),
        1 => json!(text(rng, 3)),
        2 => pick(
            rng,
            &[json!(null), json!(1), json!(true), json!([]), json!({})],
        )
        .clone(),
        3 => Value::Array(
            (0..rng.usize(..3))
                .map(|_| uploads_json(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.usize(..3))
                .map(|_| (text(rng, 2), uploads_json(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// A form tree as RoadRunner builds it, or something else in its place.
fn form_body(rng: &mut Rng, depth: usize) -> Value {
    match rng.usize(..if depth > 3 { 3 } else { 5 }) {
        0 => json!(text(rng, 3)),
        1 => pick(rng, &[json!(null), json!(7), json!(false), json!(-0.5)]).clone(),
        2 => Value::Array((0..rng.usize(..3)).map(|_| json!(text(rng, 2))).collect()),
        _ => Value::Object(
            (0..rng.usize(..4))
                .map(|_| (text(rng, 2), form_body(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// What a generated head holds, to check against what was decoded.
struct Expected {
    method: String,
    headers: BTreeMap<String, Vec<String>>,
    cookies: BTreeMap<String, String>,
    attributes: BTreeMap<String, Vec<String>>,
    raw_query: String,
    parsed: bool,
}

fn expected(rng: &mut Rng) -> (Expected, String, String, String, Option<Value>) {
    let exp = Expected {
        method: method(rng),
        headers: (0..rng.usize(..5))
            .map(|_| (header_name(rng), values(rng)))
            .collect(),
        cookies: (0..rng.usize(..3))
            .map(|_| (text(rng, 2), text(rng, 3)))
            .collect(),
        attributes: (0..rng.usize(..3))
            .map(|_| (text(rng, 2), values(rng)))
            .collect(),
        raw_query: text(rng, 8),
        parsed: rng.bool(),
    };
    let uploads = (rng.usize(..3) == 0).then(|| uploads_json(rng, 0));
    (exp, uri(rng), text(rng, 3), text(rng, 2), uploads)
}

fn proto_head(rng: &mut Rng) -> (Expected, Vec<u8>) {
    let (exp, uri, remote_addr, protocol, uploads) = expected(rng);
    let header = exp
        .headers
        .iter()
        .map(|(name, vals)| {
            let value = vals.iter().map(|v| Bytes::from(v.clone())).collect();
            (name.clone(), pb::HeaderValue { value })
        })
        .collect();
    let msg = pb::Request {
        remote_addr,
        protocol,
        method: exp.method.clone(),
        uri,
        header,
        cookies: exp
            .cookies
            .iter()
            .map(|(k, v)| {
                let value = vec![Bytes::from(v.clone())];
                (k.clone(), pb::HeaderValue { value })
            })
            .collect(),
        raw_query: exp.raw_query.clone(),
        parsed: exp.parsed,
        uploads: uploads.map_or_else(Bytes::new, |u| Bytes::from(u.to_string())),
        attributes: exp
            .attributes
            .iter()
            .map(|(k, v)| {
                let value = v.iter().map(|s| Bytes::from(s.clone())).collect();
                (k.clone(), pb::HeaderValue { value })
            })
            .collect(),
    };
    (exp, msg.encode_to_vec())
}

fn json_head(rng: &mut Rng) -> (Expected, Vec<u8>) {
    let (exp, uri, remote_addr, protocol, uploads) = expected(rng);
    let mut head = json!({
        "remoteAddr": remote_addr,
        "protocol": protocol,
        "method": exp.method,
        "uri": uri,
        "headers": exp.headers,
        "cookies": exp.cookies,
        "rawQuery": exp.raw_query,
        "parsed": exp.parsed,
        "attributes": exp.attributes,
    });
    if let Some(u) = uploads {
        head["uploads"] = u;
    }
    (
        exp,
        serde_json::to_vec(&head).expect("a JSON value serialises"),
    )
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..=rng.usize(..4) {
        if bytes.is_empty() {
            bytes.push(rng.u64(..) as u8);
            continue;
        }
        let i = rng.usize(..bytes.len());
        match rng.usize(..4) {
            0 => bytes[i] = rng.u64(..) as u8,
            1 => bytes.truncate(i),
            2 => bytes.insert(i, rng.u64(..) as u8),
            _ => {
                bytes.remove(i);
            }
        }
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What became of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Outcome {
    /// A typed error.
    Refused,
    /// Decoded; the input was not a well-formed head to compare with.
    Decoded,
    /// Decoded and compared with the well-formed head it came from.
    Checked,
}

/// Runs one case (panics on a finding).
fn run_case(case_seed: u64) -> Outcome {
    let mut rng = Rng::with_seed(case_seed);
    let body = if rng.usize(..2) == 0 {
        form_body(&mut rng, 0).to_string().into_bytes()
    } else {
        random_bytes(&mut rng, 64)
    };
    let (exp, mut context) = match rng.usize(..5) {
        0 => (None, random_bytes(&mut rng, 96)),
        1 | 2 => {
            let (e, c) = proto_head(&mut rng);
            (Some(e), c)
        }
        _ => {
            let (e, c) = json_head(&mut rng);
            (Some(e), c)
        }
    };
    // Mostly the flag that fits the bytes; sometimes the wrong one, or none (then the decoder
    // looks at the first byte, as the PHP library does).
    let fitting = if context.first() == Some(&b'{') {
        Flags::CODEC_JSON
    } else {
        Flags::CODEC_PROTO
    };
    let flags = match rng.usize(..6) {
        0 => Flags::from_bits(0),
        1 => *pick(&mut rng, &[Flags::CODEC_PROTO, Flags::CODEC_JSON]),
        _ => fitting,
    };
    let json = context.first() == Some(&b'{');
    // The codec must match the bytes for the head to be "well formed".
    let matching = match (json, flags) {
        (true, f) => f != Flags::CODEC_PROTO,
        (false, f) => f != Flags::CODEC_JSON,
    };
    let exp = if rng.usize(..4) == 0 {
        mutate(&mut rng, &mut context);
        None
    } else {
        exp.filter(|_| matching)
    };

    let payload = Payload::new(flags, context, body);
    let decoded = decode_request(payload);
    let req = match (decoded, &exp) {
        (Ok(req), _) => req,
        (Err(e), Some(exp)) if is_token(&exp.method) => {
            panic!(
                "a well-formed head with method {:?} was refused: {e}",
                exp.method
            )
        }
        (Err(_), _) => return Outcome::Refused,
    };

    // Every accessor, on whatever came out.
    let _ = req.uri().to_string();
    let _ = req.remote_addr().map(|a| a.ip());
    let _ = req.cookies().iter().count();
    let _ = req.attributes().iter().count();
    let query = req.query();
    let _ = query.deserialize::<HashMap<String, Value>>();
    let _ = req.query_as::<HashMap<String, Vec<String>>>();
    let _ = req.query_as::<Value>();
    if let Ok(Some(form)) = req.form() {
        let _ = form.deserialize::<Value>();
        let _ = form.deserialize::<BTreeMap<String, String>>();
    }
    let _ = req.form_as::<HashMap<String, Value>>();
    let _ = req.json::<Value>();
    for (_path, file) in req.uploads().files() {
        let _ = (
            file.client_filename(),
            file.client_media_type(),
            file.size(),
        );
        let _ = (file.status(), file.tmp_path());
        let safe = file.safe_filename();
        assert!(
            !safe.is_empty() && !safe.contains(['/', '\\', '\0']) && safe != ".." && safe != ".",
            "unsafe file name {safe:?} from {:?}",
            file.client_filename()
        );
    }

    // Soundness of any decoded request.
    // Go moves Host out of the headers; the decoder must put it back.
    if let Some(authority) = req.uri().authority() {
        assert!(
            authority.host().is_empty() || req.headers().contains_key("host"),
            "no Host header for {}",
            req.uri()
        );
    }
    for value in req.headers().values() {
        assert!(
            !value
                .as_bytes()
                .iter()
                .any(|b| matches!(b, b'\r' | b'\n' | 0)),
            "a header value with CR, LF or NUL got through: {value:?}"
        );
    }

    // What a well-formed head said must be what the request says.
    let Some(exp) = exp else {
        return Outcome::Decoded;
    };
    {
        assert_eq!(req.method().as_str(), exp.method);
        assert_eq!(
            req.extensions().get::<rr_http::RawQuery>().unwrap().0,
            exp.raw_query
        );
        assert_eq!(
            req.extensions().get::<rr_http::ParsedForm>().is_some(),
            exp.parsed
        );
        for (name, value) in &exp.cookies {
            assert_eq!(req.cookie(name), Some(value.as_str()), "cookie {name:?}");
        }
        for (name, vals) in &exp.attributes {
            assert_eq!(
                req.attributes().get_all(name),
                &vals[..],
                "attribute {name:?}"
            );
        }
        for (name, vals) in &exp.headers {
            let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
                continue;
            };
            // Values with bytes above 0x7F (UTF-8 text) are kept too: Go passes them on.
            let holdable = vals
                .iter()
                .map(String::as_bytes)
                .filter(|v| http::HeaderValue::from_bytes(v).is_ok());
            let got: Vec<&[u8]> = req
                .headers()
                .get_all(&name)
                .iter()
                .map(http::HeaderValue::as_bytes)
                .collect();
            for v in holdable {
                assert!(got.contains(&v), "header {name}: {v:?} lost, got {got:?}");
            }
        }
    }
    Outcome::Checked
}

fn env_u64(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    let raw = raw.trim();
    Some(match raw.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).expect("a hex number"),
        None => raw.parse().expect("a number"),
    })
}

#[test]
fn decoding_hostile_requests_never_panics_and_keeps_what_is_valid() {
    if let Some(case) = env_u64("RR_HTTP_FUZZ_CASE") {
        eprintln!("case {case:#x}: {:?}", run_case(case));
        return;
    }
    let iterations = env_u64("RR_HTTP_FUZZ_ITERATIONS").unwrap_or(DEFAULT_ITERATIONS);
    let mut seeds = Rng::with_seed(env_u64("RR_HTTP_FUZZ_SEED").unwrap_or(DEFAULT_SEED));
    let mut seen: HashMap<Outcome, u64> = HashMap::new();
    for _ in 0..iterations {
        let case = seeds.u64(..);
        match std::panic::catch_unwind(|| run_case(case)) {
            Ok(outcome) => *seen.entry(outcome).or_default() += 1,
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panic!("case {case:#x} failed (replay: RR_HTTP_FUZZ_CASE={case:#x}): {msg}");
            }
        }
    }
    eprintln!("{iterations} cases: {seen:?}");
    // The generator must reach every path, or the loop proves little.
    if iterations >= 1_000 {
        for (outcome, per_mille) in [
            (Outcome::Refused, 50),
            (Outcome::Decoded, 5),
            (Outcome::Checked, 300),
        ] {
            let n = seen.get(&outcome).copied().unwrap_or(0);
            assert!(
                n * 1000 >= iterations * per_mille,
                "only {n} cases were {outcome:?}: {seen:?}"
            );
        }
    }
}
