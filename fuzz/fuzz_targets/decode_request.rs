//! Fuzzes request decoding with arbitrary bytes.
//!
//! Byte 0 picks the frame's codec flags (protobuf, JSON, none), bytes 1..3 (little endian,
//! modulo the rest's length) where the context ends and the body begins. The request that
//! comes out, if any, goes through every `RequestExt` accessor. Checked: no panic, header values
//! free of CR/LF/NUL, a `Host` header whenever the URI names a host, harmless upload file names.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use rr_http::rr_worker::Payload;
use rr_http::rr_worker::goridge::Flags;
use rr_http::{RequestExt, decode_request};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (split, rest) = match rest {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, rest),
    };
    let flags = match pick % 3 {
        0 => Flags::CODEC_PROTO,
        1 => Flags::CODEC_JSON,
        _ => Flags::from_bits(0),
    };
    let at = if rest.is_empty() { 0 } else { split % (rest.len() + 1) };
    let (context, body) = rest.split_at(at);
    let Ok(req) = decode_request(Payload::new(flags, context.to_vec(), body.to_vec())) else {
        return;
    };

    let _ = req.uri().to_string();
    let _ = req.remote_addr().map(|a| a.ip());
    let _ = req.cookies().iter().count();
    let _ = req.attributes().iter().count();
    let _ = req.query().deserialize::<HashMap<String, Value>>();
    let _ = req.query_as::<Value>();
    if let Ok(Some(form)) = req.form() {
        let _ = form.deserialize::<Value>();
    }
    let _ = req.json::<Value>();
    for (_, file) in req.uploads().files() {
        let safe = file.safe_filename();
        assert!(!safe.is_empty() && !safe.contains(['/', '\\', '\0']));
        assert!(safe != "." && safe != "..");
    }
    if let Some(authority) = req.uri().authority() {
        assert!(authority.host().is_empty() || req.headers().contains_key("host"));
    }
    for value in req.headers().values() {
        assert!(!value.as_bytes().iter().any(|b| matches!(b, b'\r' | b'\n' | 0)));
    }
});
