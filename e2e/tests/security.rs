//! Security claims of RELIABILITY.md, through the real rr: client-chosen upload names cannot
//! leave the destination directory, and neither the worker's environment nor request secrets
//! reach the log when requests fail in every way the worker reports.

use std::path::Path;

use rr_e2e::{Request, RrServer, ServerConfig, test_worker};

#[test]
fn client_chosen_upload_names_stay_inside_the_destination() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    let names = [
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/shadow",
        "..",
        ".",
        "...",
        ".hidden",
        "a/../../b",
        "tab\tname",
        &"x".repeat(1000),
    ];
    let files: Vec<(&str, &str, &str, &[u8])> = names
        .iter()
        .map(|n| ("f[]", *n, "application/octet-stream", &b"payload"[..]))
        .collect();
    let res = Request::post_multipart("/upload", &[], &files).send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let dest = rr.path("kept");
    let out = res.json();
    let saved: Vec<_> = out["files"].as_array().unwrap().iter().collect();
    assert_eq!(saved.len(), names.len());
    for (file, sent) in saved.iter().zip(names) {
        let path = Path::new(file["saved"].as_str().expect("saved"));
        eprintln!(
            "client name {:?}: rr passed {:?}, saved as {:?}",
            &sent[..sent.len().min(40)],
            file["name"].as_str().map(|n| &n[..n.len().min(40)]),
            path.file_name()
                .and_then(|n| n.to_str())
                .map(|n| &n[..n.len().min(40)])
        );
        assert_eq!(path.parent(), Some(dest.as_path()), "{path:?}");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(!name.starts_with('.') && name.len() <= 200, "{name:?}");
        assert_eq!(std::fs::read(path).unwrap(), b"payload");
    }
    // A control byte in the name: rr refuses the request itself (Go's MIME parser).
    let res = Request::post_multipart("/upload", &[], &[("f", "nul\u{1}byte", "text/plain", b"x")])
        .send(rr.addr);
    assert_eq!(res.status, 500, "{}", res.text());
    assert!(
        res.text().contains("malformed MIME header"),
        "{}",
        res.text()
    );

    let outside: Vec<_> = std::fs::read_dir(&rr.dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("passwd") || n.contains("shadow") || n.contains("win.ini"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn no_environment_value_or_request_secret_reaches_the_log() {
    const SECRET: &str = "env-secret-7f3a9c";
    const TOKEN: &str = "bearer-token-51d2e8";
    let mut rr = RrServer::start(ServerConfig::new(test_worker()).env("APP_SECRET", SECRET));
    for path in [
        "/hello",
        "/error",
        "/panic",
        "/newline-header",
        "/bad-status",
        "/status?code=abc",
        "/nosuch",
    ] {
        let res = Request::get(path)
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .header("Cookie", &format!("sid={TOKEN}"))
            .send(rr.addr);
        eprintln!("{path}: {}", res.status);
    }
    let res = Request::post("/json", format!("{{\"password\": \"{TOKEN}\""))
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(res.status, 400);
    rr.stop(std::time::Duration::from_secs(20));
    let log = rr.log();
    assert!(log.contains("deliberate panic"), "the failures were logged");
    assert!(!log.contains(SECRET), "an environment value was logged");
    assert!(!log.contains(TOKEN), "a request secret was logged");
}
