//! Issue 3, requests: everything a client sends reaches the handler, through the real rr.

use std::io::Read;

use rr_e2e::{
    Request, RrServer, ServerConfig, curl, fnv, multipart, raw_exchange, read_response, test_worker,
};
use serde_json::json;

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(test_worker()).workers(2))
}

#[test]
fn query_arrays_and_nested_keys_follow_php() {
    let rr = server();
    let res =
        Request::get("/echo?a[]=1&a[]=2&b[x][y]=3&c=1&c=2&first+name=J%C3%B6rg&e[]=&n[0]=x&n[]=y")
            .send(rr.addr);
    let echo = res.json();
    assert_eq!(
        echo["query"],
        json!({"a": ["1", "2"], "b": {"x": {"y": "3"}}, "c": "2", "first_name": "Jörg", "e": [""], "n": ["x", "y"]})
    );
    // The raw query is kept as the client sent it.
    assert_eq!(
        echo["raw_query"],
        "a[]=1&a[]=2&b[x][y]=3&c=1&c=2&first+name=J%C3%B6rg&e[]=&n[0]=x&n[]=y"
    );
}

#[test]
fn urlencoded_form_arrives_as_a_parsed_tree() {
    let rr = server();
    let res = Request::post("/echo", "a=1&b[]=x&b[]=y&user[name]=ann&user[tags][]=t1")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr);
    let echo = res.json();
    assert_eq!(
        echo["form"],
        json!({"a": "1", "b": ["x", "y"], "user": {"name": "ann", "tags": ["t1"]}})
    );
}

#[test]
fn multipart_fields_and_two_files_are_moved_intact() {
    let rr = server();
    let first: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let second = b"second file \x00\xff binary".to_vec();
    let res = Request::post_multipart(
        "/upload",
        &[("title", "holiday"), ("tags[]", "sea")],
        &[
            ("photos[]", "../../etc/passwd", "image/png", &first),
            ("photos[]", "b.bin", "application/octet-stream", &second),
        ],
    )
    .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let out = res.json();
    assert_eq!(out["form"], json!({"title": "holiday", "tags": ["sea"]}));
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["field"], "photos[0]");
    assert_eq!(
        files[0]["name"], "passwd",
        "Go keeps only the base name; we never trust it as a path"
    );
    assert_eq!(files[0]["mime"], "image/png");
    assert_eq!(files[0]["size"], 100_000);
    assert_eq!(files[1]["name"], "b.bin");
    for (file, original) in files.iter().zip([&first, &second]) {
        let saved = std::path::Path::new(file["saved"].as_str().unwrap());
        assert!(
            saved.starts_with(rr.path("kept")),
            "{saved:?} stays inside the destination"
        );
        let bytes = std::fs::read(saved).unwrap();
        assert_eq!(fnv(&bytes), fnv(original), "content of {saved:?}");
    }
    // rr deletes what is left in its upload dir; ours were moved, so nothing is left there.
    let left: Vec<_> = std::fs::read_dir(rr.path("uploads")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn raw_json_body_is_passed_through_and_deserialised() {
    let rr = server();
    let res = Request::post("/json", r#"{"id":7,"tags":["a","b"]}"#)
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(
        res.json(),
        json!({"received": {"id": 7, "tags": ["a", "b"]}})
    );
    let echo = Request::post("/echo", r#"{"k":1}"#)
        .header("Content-Type", "application/json")
        .send(rr.addr)
        .json();
    assert_eq!(echo["body"], r#"{"k":1}"#);
    assert_eq!(
        echo["form"],
        serde_json::Value::Null,
        "JSON is never a parsed form"
    );
}

#[test]
fn cookies_in_and_several_set_cookie_out() {
    let rr = server();
    let res = Request::get("/cookies")
        .header("Cookie", "sid=abc%20def; theme=dark")
        .send(rr.addr);
    assert_eq!(res.text(), "abc def", "rr URL-decodes cookie values");
    assert_eq!(
        res.header_all("set-cookie"),
        ["a=1; Path=/", "b=2; Path=/; HttpOnly"]
    );
    let echo = Request::get("/echo")
        .header("Cookie", "sid=abc%20def; theme=dark")
        .send(rr.addr)
        .json();
    assert_eq!(echo["cookies"], json!({"sid": "abc def", "theme": "dark"}));
}

#[test]
fn head_204_and_304_have_no_body() {
    let rr = server();
    let mut conn = raw_exchange(rr.addr, &Request::new("HEAD", "/hello").to_bytes(rr.addr));
    let res = read_response(&mut conn, true);
    assert_eq!(res.status, 200);
    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "HEAD response carried a body: {rest:?}");

    // The handlers give 204 and 304 a body (one whole, one streamed): rr-http must leave it out,
    // or Go refuses the write and rr logs an error.
    let pids = rr.worker_pids();
    for (path, status) in [("/no-content", 204), ("/not-modified", 304)] {
        let mut conn = raw_exchange(rr.addr, &Request::get(path).to_bytes(rr.addr));
        let res = read_response(&mut conn, false);
        assert_eq!(res.status, status);
        let mut rest = Vec::new();
        conn.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "{status} carried a body: {rest:?}");
    }
    assert_eq!(Request::get("/hello").send(rr.addr).status, 200);
    let log = rr.log();
    assert!(
        !log.contains("ERROR") && !log.contains("does not allow body"),
        "rr had to deal with a body it cannot send:\n{log}"
    );
    assert_eq!(rr.worker_pids(), pids, "the worker was not replaced");
}

#[test]
fn form_deserialises_into_a_serde_type() {
    let rr = server();
    let body = "name=Ann&tags[]=a&tags[]=b&address[city]=Oslo&age=41";
    let res = Request::post("/signup", body)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"name": "Ann", "tags": ["a", "b"], "city": "Oslo", "age": 41})
    );
    // The same from a multipart form.
    let res = Request::post_multipart("/signup", &[("name", "Bo"), ("address[city]", "Rome")], &[])
        .send(rr.addr);
    assert_eq!(
        res.json(),
        json!({"name": "Bo", "tags": [], "city": "Rome", "age": null})
    );
    // A missing field or a value of the wrong type is the client's fault: 400 with the reason.
    for bad in ["name=Cy", "name=Cy&address[city]=X&age=old"] {
        let res = Request::post("/signup", bad)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(rr.addr);
        assert_eq!(res.status, 400, "{bad}: {}", res.text());
        let field = if bad.contains("age") {
            "age"
        } else {
            "address"
        };
        assert!(res.text().contains(field), "{bad}: {}", res.text());
    }
}

#[test]
fn forbidden_upload_arrives_with_its_error_code_and_no_file() {
    let rr =
        RrServer::start(ServerConfig::new(test_worker()).uploads_yaml("    forbid: [\".php\"]\n"));
    let (content_type, body) = multipart(
        &[],
        &[
            ("script", "shell.php", "text/x-php", b"<?php evil();"),
            ("doc", "notes.txt", "text/plain", b"fine"),
        ],
    );
    let res = Request::post("/upload", body)
        .header("Content-Type", &content_type)
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let out = res.json();
    let files = out["files"].as_array().unwrap();
    let by_field = |f: &str| files.iter().find(|x| x["field"] == f).unwrap().clone();
    let script = by_field("script");
    assert_eq!(script["status"], 8, "UPLOAD_ERR_EXTENSION: {script}");
    assert_eq!(script["has_tmp_path"], false, "{script}");
    assert!(script["saved"].is_null());
    let doc = by_field("doc");
    assert_eq!(doc["status"], 0, "{doc}");
    let saved = doc["saved"].as_str().unwrap();
    assert_eq!(std::fs::read(saved).unwrap(), b"fine");
}

#[test]
fn uploads_move_across_file_systems_under_a_safe_name() {
    // rr's upload dir is under the system temp dir; /dev/shm is a tmpfs, another file system,
    // so the move cannot be a rename and must copy.
    let shm = std::path::Path::new("/dev/shm");
    assert!(
        shm.is_dir(),
        "this test needs /dev/shm (a tmpfs) as a second file system"
    );
    let dest = shm.join(format!("rr-e2e-{}-cross-fs", std::process::id()));
    let _ = std::fs::remove_dir_all(&dest);
    struct Cleanup(std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let _cleanup = Cleanup(dest.clone());
    let rr = RrServer::start(
        ServerConfig::new(test_worker()).env("E2E_SAVE_DIR", dest.display().to_string()),
    );
    assert_ne!(
        device_of(&rr.path("uploads")),
        device_of(shm),
        "the upload dir and /dev/shm must be on different file systems"
    );
    let content: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    // Go keeps a name without directories as it is; a leading dot would make a hidden (or
    // server-config) file, so the safe name drops it.
    let res = Request::post_multipart(
        "/upload",
        &[],
        &[("f", ".htaccess", "text/plain", &content)],
    )
    .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let out = res.json();
    let file = &out["files"][0];
    assert_eq!(
        file["name"], ".htaccess",
        "the client's name is reported as sent"
    );
    let saved = std::path::PathBuf::from(file["saved"].as_str().unwrap());
    assert_eq!(saved, dest.join("htaccess"));
    assert_eq!(fnv(&std::fs::read(&saved).unwrap()), fnv(&content));
    // `move_to` puts a file at exactly the path given, across file systems too, and never
    // replaces what is there.
    for attempt in 0..2 {
        let res = Request::post_multipart(
            "/upload",
            &[],
            &[("exact", "x.bin", "text/plain", b"exact")],
        )
        .send(rr.addr);
        if attempt == 0 {
            assert_eq!(res.status, 200, "{}", res.text());
            assert_eq!(std::fs::read(dest.join("exact.bin")).unwrap(), b"exact");
        } else {
            assert_eq!(res.status, 400, "the second move finds the file there");
            assert!(res.text().contains("exists"), "{}", res.text());
        }
    }
    let left: Vec<_> = std::fs::read_dir(rr.path("uploads")).unwrap().collect();
    assert!(
        left.is_empty(),
        "the temp file was removed after the copy: {left:?}"
    );
}

#[test]
fn raw_body_mode_hands_the_form_over_unparsed() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).http_yaml("  raw_body: true\n"));
    let echo = Request::post("/echo", "a=1&b[]=2")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr)
        .json();
    assert_eq!(echo["form"], serde_json::Value::Null, "no parsed form");
    assert_eq!(echo["body"], "a=1&b[]=2", "the body as the client sent it");
}

fn device_of(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().dev()
}

#[test]
fn ten_megabyte_request_body_arrives_whole() {
    let rr = server();
    let body: Vec<u8> = (0..10 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(31) >> 3) as u8)
        .collect();
    let res = Request::post("/echo", body.clone())
        .header("Content-Type", "application/octet-stream")
        .send(rr.addr);
    let echo = res.json();
    assert_eq!(echo["body_len"], body.len());
    assert_eq!(echo["body_fnv"], fnv(&body));
}

#[test]
fn http2_requests_over_h2c() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).h2c());
    let out = curl(&["--http2-prior-knowledge", "-D", "-", &rr.url("/echo?x=1")]);
    assert!(out.starts_with("HTTP/2 200"), "{out}");
    let body = &out[out.find("\r\n\r\n").unwrap() + 4..];
    let echo: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(echo["version"], "HTTP/2.0");
    assert_eq!(echo["query"], json!({"x": "1"}));
    let out = curl(&["--http2-prior-knowledge", "-D", "-", &rr.url("/cookies")]);
    assert_eq!(out.matches("set-cookie:").count(), 2, "{out}");
}

#[test]
fn malformed_client_data_is_a_400_with_the_reason() {
    let rr = server();
    let res = Request::get("/status?code=abc").send(rr.addr);
    assert_eq!(res.status, 400);
    assert_eq!(
        res.text(),
        r#"invalid value for "code": expected an integer, got "abc""#
    );
    let res = Request::post("/json", "{not json")
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(res.status, 400);
    assert!(
        res.text().starts_with("the request body is not valid JSON"),
        "{}",
        res.text()
    );
}

#[test]
fn attributes_set_by_rr_middleware_reach_the_handler() {
    let rr = RrServer::start(
        ServerConfig::new(test_worker()).http_yaml("  middleware: [\"rr_rs_test_attributes\"]\n"),
    );
    let echo = Request::get("/echo").send(rr.addr).json();
    assert_eq!(
        echo["attributes"],
        json!({"role": ["admin", "dev"], "tenant": ["acme"]})
    );
    let plain = RrServer::start(ServerConfig::new(test_worker()));
    assert_eq!(
        Request::get("/echo").send(plain.addr).json()["attributes"],
        json!({})
    );
}

#[test]
fn query_bytes_the_http_crate_refuses_still_reach_the_handler() {
    let rr = server();
    let echo = Request::get("/echo?q=\"rust\"&tag=<b>")
        .send(rr.addr)
        .json();
    assert_eq!(echo["query"], json!({"q": "\"rust\"", "tag": "<b>"}));
    assert_eq!(
        echo["uri"],
        format!("http://{}/echo?q=%22rust%22&tag=%3Cb%3E", rr.addr)
    );
}
