//! The fields of a raw `multipart/form-data` body (`http.raw_body: true`) as PHP sees them.

use bytes::Bytes;
use futures_core::Stream;

use super::rejection::FormRejection;
use crate::BoxError;
use crate::params::{Params, parse_query};

/// Reads every part of the body; parts with a file name are files (PHP's `$_FILES`, not
/// `$_POST`) and are skipped. The fields go through the query parser, which is what PHP does
/// with multipart field names too, so `rows[0][name]` nests exactly as in a query.
pub(super) async fn fields<S, E>(body: S, boundary: String) -> Result<Params, FormRejection>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<BoxError>,
{
    let mut multipart = multer::Multipart::new(body, boundary);
    let mut encoded = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(FormRejection::Multipart)?
    {
        if field.file_name().is_some() {
            continue;
        }
        let name = field.name().unwrap_or_default().to_owned();
        let value = field.bytes().await.map_err(FormRejection::Multipart)?;
        if !encoded.is_empty() {
            encoded.push('&');
        }
        percent_encode(name.as_bytes(), &mut encoded);
        encoded.push('=');
        percent_encode(&value, &mut encoded);
    }
    Ok(parse_query(&encoded))
}

/// Everything but unreserved bytes and brackets as `%XX`, so the query parser decodes each
/// name and value back to its bytes.
fn percent_encode(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~[]".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, Option<&str>, &str)]) -> Vec<Result<Bytes, std::io::Error>> {
        let mut text = String::new();
        for (name, file, value) in parts {
            let file = file.map_or(String::new(), |f| format!("; filename=\"{f}\""));
            text.push_str(&format!(
                "--B\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{value}\r\n"
            ));
        }
        text.push_str("--B--\r\n");
        // Two chunks, split inside a part, as a network would deliver them.
        let (a, b) = text.split_at(text.len() / 2);
        vec![Ok(Bytes::from(a.to_owned())), Ok(Bytes::from(b.to_owned()))]
    }

    async fn parse(parts: &[(&str, Option<&str>, &str)]) -> Result<Params, FormRejection> {
        let stream = futures_util::stream::iter(body(parts));
        fields(stream, "B".into()).await
    }

    #[tokio::test]
    async fn fields_nest_like_a_query_and_files_are_skipped() {
        let mut parts = vec![("title", None, "a&b=c %"), ("doc", Some("a.txt"), "hello")];
        let names: Vec<String> = (0..12).map(|i| format!("rows[{i}][name]")).collect();
        let values: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
        for (n, v) in names.iter().zip(&values) {
            parts.push((n, None, v));
        }
        let params = parse(&parts).await.unwrap();
        assert_eq!(
            params.get("title").and_then(Params::as_str),
            Some("a&b=c %")
        );
        assert!(params.get("doc").is_none());
        let rows = params.get("rows").unwrap();
        assert!(rows.is_list());
        let got: Vec<_> = rows
            .iter()
            .map(|(_, r)| r.get("name").and_then(Params::as_str).unwrap().to_owned())
            .collect();
        assert_eq!(got, values);
    }

    #[tokio::test]
    async fn a_broken_body_is_a_multipart_error() {
        let stream = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from(
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
        ))]);
        let err = fields(stream, "B".into()).await.unwrap_err();
        assert!(matches!(err, FormRejection::Multipart(_)), "{err}");
    }
}
