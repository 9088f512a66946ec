//! Issue 7: form and multipart bodies reaching an axum `Router` through the real rr, under both
//! `http.raw_body` settings. With the default (`false`) rr parses forms itself and sends a JSON
//! tree instead of the body: axum's own `Form` and `Multipart` must then fail with a message
//! that names the fix, never read the tree as a form.

use rr_e2e::{HttpResponse, Request, RrServer, ServerConfig, multipart, sibling_binary};
use serde_json::json;

const URLENCODED: &str = "application/x-www-form-urlencoded";

fn server(raw_body: bool) -> RrServer {
    let config = ServerConfig::new(sibling_binary("axum"));
    RrServer::start(if raw_body {
        config.http_yaml("  raw_body: true\n")
    } else {
        config
    })
}

fn post_form(rr: &RrServer, path: &str, body: &str) -> HttpResponse {
    Request::post(path, body)
        .header("Content-Type", URLENCODED)
        .send(rr.addr)
}

fn post_multipart(rr: &RrServer, path: &str) -> HttpResponse {
    let (content_type, body) = multipart(
        &[("name", "ann"), ("rows[0][n]", "a0")],
        &[("doc", "a.txt", "text/plain", b"hello")],
    );
    Request::post(path, body)
        .header("Content-Type", &content_type)
        .send(rr.addr)
}

#[test]
fn axum_form_reads_the_raw_body() {
    let rr = server(true);
    let res = post_form(&rr, "/form", "name=ann&city=Z%C3%BCrich");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({"name": "ann", "city": "Zürich"}));
}

#[test]
fn axum_form_on_a_body_rr_parsed_is_a_400_naming_the_fix() {
    let rr = server(false);
    let res = post_form(&rr, "/form", "name=ann&city=Z%C3%BCrich");
    assert_eq!(res.status, 400, "{}", res.text());
    let text = res.text();
    assert!(text.contains("PhpForm"), "{text}");
    assert!(text.contains("http.raw_body: true"), "{text}");
}

#[test]
fn axum_multipart_reads_the_raw_body() {
    let rr = server(true);
    let res = post_multipart(&rr, "/multipart");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"name": "ann", "rows[0][n]": "a0", "doc": {"file": "a.txt", "size": 5}})
    );
}

#[test]
fn axum_multipart_on_a_body_rr_parsed_fails_naming_the_fix() {
    let rr = server(false);
    let res = post_multipart(&rr, "/multipart");
    assert!(res.status >= 400, "{} {}", res.status, res.text());
    let text = res.text();
    assert!(text.contains("http.raw_body: true"), "{text}");
    assert!(text.contains("Uploads"), "{text}");
}

#[test]
fn uploads_extension_is_present_on_every_request() {
    for raw_body in [false, true] {
        let rr = server(raw_body);
        assert_eq!(Request::get("/uploads-ext").send(rr.addr).text(), "0 files");
        let res = post_form(&rr, "/uploads-ext", "a=1");
        assert_eq!(res.text(), "0 files");
        // rr only moves files out of the body when it parses the body.
        let files = if raw_body { "0 files" } else { "1 files" };
        assert_eq!(post_multipart(&rr, "/uploads-ext").text(), files);
    }
}

fn sheet_form(rows: usize) -> String {
    let mut body = "title=Q%C3%BC%26A".to_owned();
    for i in 0..rows {
        body.push_str(&format!("&rows[{i}][name]=a{i}"));
    }
    body
}

fn sheet_json(rows: usize) -> serde_json::Value {
    let rows: Vec<_> = (0..rows)
        .map(|i| json!({"name": format!("a{i}")}))
        .collect();
    json!({"title": "Qü&A", "rows": rows})
}

// 12 rows: rr sends its tree with the keys sorted as text (0, 1, 10, 11, 2, …); the rows
// must still come out in numeric order (issue 7, item 1).
#[test]
fn php_form_reads_urlencoded_forms_under_both_settings() {
    for (raw_body, rows) in [(false, 12), (true, 12)] {
        let rr = server(raw_body);
        let res = post_form(&rr, "/php-form", &sheet_form(rows));
        assert_eq!(res.status, 200, "raw_body {raw_body}: {}", res.text());
        assert_eq!(
            res.json(),
            json!({"sheet": sheet_json(rows), "files": []}),
            "raw_body {raw_body}"
        );
        // A field that does not fit is axum's status for a form that does not deserialise.
        let res = post_form(&rr, "/php-form", "rows[0][nom]=x");
        assert_eq!(res.status, 422, "raw_body {raw_body}: {}", res.text());
        assert!(res.text().contains("missing parameter"), "{}", res.text());
        // Not a form at all.
        let res = Request::post("/php-form", "{}")
            .header("Content-Type", "application/json")
            .send(rr.addr);
        assert_eq!(res.status, 415, "raw_body {raw_body}: {}", res.text());
    }
}

#[test]
fn php_form_reads_multipart_fields_under_both_settings() {
    for raw_body in [false, true] {
        let rr = server(raw_body);
        let names: Vec<String> = (0..12).map(|i| format!("rows[{i}][name]")).collect();
        let values: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
        let mut fields = vec![("title", "Qü&A")];
        fields.extend(
            names
                .iter()
                .map(String::as_str)
                .zip(values.iter().map(String::as_str)),
        );
        let res = Request::post_multipart(
            "/php-form",
            &fields,
            &[("doc", "a.txt", "text/plain", b"hello")],
        )
        .send(rr.addr);
        assert_eq!(res.status, 200, "raw_body {raw_body}: {}", res.text());
        // rr moves files out of the body only when it parses it; raw, PhpForm skips them.
        let files = if raw_body { json!([]) } else { json!(["doc"]) };
        assert_eq!(
            res.json(),
            json!({"sheet": sheet_json(12), "files": files}),
            "raw_body {raw_body}"
        );
    }
}

#[test]
fn axum_json_works_under_both_settings() {
    for raw_body in [false, true] {
        let rr = server(raw_body);
        let res = Request::post("/json", r#"{"rows":[1,2]}"#)
            .header("Content-Type", "application/json")
            .send(rr.addr);
        assert_eq!(res.status, 200, "raw_body {raw_body}: {}", res.text());
        assert_eq!(res.json(), json!({"received": {"rows": [1, 2]}}));
        // A form sent to a JSON handler is refused by axum's own content-type check.
        assert_eq!(post_form(&rr, "/json", "a=1").status, 415);
    }
}
