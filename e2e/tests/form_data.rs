//! Issue 7, form data through the real rr: rows of a form in index order (rr sends them sorted
//! as text), uploads in index order, the nested uploads tree walked as rr sent it.

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary};
use serde_json::json;

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary("e2e-data-worker")))
}

/// `a0` … `a11`: what 12 rows must read as, in this order.
fn twelve_names() -> Vec<String> {
    (0..12).map(|i| format!("a{i}")).collect()
}

/// Posts rows `rows[0][name]=a0` … `rows[11][name]=a11` urlencoded and asserts they read in
/// index order.
fn assert_twelve_urlencoded_rows_in_index_order(rr: &RrServer) {
    let body: Vec<String> = (0..12).map(|i| format!("rows[{i}][name]=a{i}")).collect();
    let res = Request::post("/rows", body.join("&"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({ "names": twelve_names() }));
}

#[test]
fn twelve_urlencoded_rows_come_in_index_order() {
    assert_twelve_urlencoded_rows_in_index_order(&server());
}

#[test]
fn twelve_multipart_rows_come_in_index_order() {
    let rr = server();
    let names: Vec<(String, String)> = (0..12)
        .map(|i| (format!("rows[{i}][name]"), format!("a{i}")))
        .collect();
    let fields: Vec<(&str, &str)> = names
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = Request::post_multipart("/rows", &fields, &[]).send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({ "names": twelve_names() }));
}

#[test]
fn twelve_indexed_uploads_come_in_index_order() {
    let rr = server();
    let fields: Vec<String> = (0..12).map(|i| format!("docs[{i}]")).collect();
    let files: Vec<(&str, &str, &str, &[u8])> = fields
        .iter()
        .map(|f| (f.as_str(), "a.txt", "text/plain", &b"x"[..]))
        .collect();
    let res = Request::post_multipart("/upload-fields", &[], &files).send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({ "fields": fields }));
}

#[test]
fn twelve_rows_come_in_index_order_from_rr_2023_too() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("e2e-data-worker")).legacy());
    assert_twelve_urlencoded_rows_in_index_order(&rr);
}

#[test]
fn nested_upload_names_are_walked_as_a_tree() {
    let rr = server();
    let req = Request::post_multipart(
        "/upload-tree",
        &[("title", "t")],
        &[
            ("upload[x][y][]", "first.txt", "text/plain", b"1"),
            ("upload[x][y][]", "second.txt", "text/plain", b"2"),
            ("upload[x][z]", "zed.txt", "text/plain", b"3"),
            ("avatar", "me.png", "image/png", b"4"),
        ],
    );
    let res = req.send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({
            "top": ["avatar", "upload"],
            "x": ["y", "z"],
            "y": [["[0]", "first.txt"], ["[1]", "second.txt"]],
            "z": "zed.txt",
        })
    );
}
