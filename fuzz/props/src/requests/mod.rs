//! The request decoding property: random bytes, well-formed protobuf and JSON request heads
//! filled with hostile text, and mutations of both go through `decode_request`, and every
//! accessor of `RequestExt` is called on what comes out. Checked:
//!
//! * nothing panics, whatever the bytes;
//! * a well-formed head whose method is an HTTP token always decodes, with its method,
//!   headers that `http` can hold, cookies, attributes, raw query and form flag carried over;
//! * a decoded request is sound: a `Host` header whenever the URI has an authority, header
//!   values without CR, LF or NUL, a safe file name for every uploaded file.

mod generate;

use std::collections::{BTreeMap, HashMap};

use rr_http::rr_worker::Payload;
use rr_http::rr_worker::goridge::Flags;
use rr_http::{RequestExt, decode_request};
use serde_json::Value;

use self::generate::{form_body, json_head, mutate, pick, proto_head, random_bytes};
use crate::Draw as Rng;

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What became of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A typed error.
    Refused,
    /// Decoded; the input was not a well-formed head to compare with.
    Decoded,
    /// Decoded and compared with the well-formed head it came from.
    Checked,
}

/// Runs one case drawn from `data` (panics on a finding).
///
/// ```
/// let outcome = rr_fuzz_props::requests::check(&[0x42; 256]);
/// eprintln!("{outcome:?}");
/// ```
pub fn check(data: &[u8]) -> Outcome {
    let mut rng = Rng::new(data);
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
