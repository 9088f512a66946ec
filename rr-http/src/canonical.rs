//! Go's canonical header-name form (`content-type` → `Content-Type`).
//!
//! RoadRunner's HTTP plugin matches some names case-sensitively (`Trailer`, `Http2-Push`, and
//! the names a `Trailer` value lists), so names are sent the way Go writes them
//! (`docs/http.md`). `http` crate names are lower-case.

/// Returns `name` in Go's canonical form: the first letter and every letter after a `-`
/// upper-case, the rest lower-case. A name with a byte outside the token set is returned
/// unchanged, as Go does.
pub(crate) fn canonical_header_name(name: &str) -> String {
    if !name.bytes().all(is_token_byte) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        upper = c == '-';
    }
    out
}

/// RFC 9110 token characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_go_canonical_form() {
        for (input, want) in [
            ("content-type", "Content-Type"),
            ("x-forwarded-for", "X-Forwarded-For"),
            ("trailer", "Trailer"),
            ("http2-push", "Http2-Push"),
            ("www-authenticate", "Www-Authenticate"),
            ("etag", "Etag"),
            ("a--b", "A--B"),
            ("-x", "-X"),
            ("bad name", "bad name"),
        ] {
            assert_eq!(canonical_header_name(input), want);
        }
    }
}
