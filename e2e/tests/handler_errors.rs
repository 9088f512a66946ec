//! Issue 7, through the real rr: errors decided by type (a handler's own error enum, a boxed
//! `HttpError`, an `anyhow::Error`, rr-http's rejections each answer with their status), and
//! a `(status, headers, bytes)` tuple as a response.

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary};

#[test]
fn each_error_type_answers_with_its_status() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("e2e-data-worker")));
    let get = |path: &str| Request::get(path).send(rr.addr);

    assert_eq!(get("/app-error").text(), "fine");
    let missing = get("/app-error?kind=missing");
    assert_eq!(
        (missing.status, missing.text()),
        (404, "no such thing".to_owned())
    );
    // 500 is rr's internal error: the message goes to rr's log, not to the client.
    assert_eq!(get("/app-error?kind=database").status, 500);
    assert!(rr.log_contains("the database is down"), "{}", rr.log());

    let anyhow = get("/anyhow");
    assert_eq!(
        (anyhow.status, anyhow.text()),
        (402, "pay first".to_owned())
    );

    let boxed = get("/boxed");
    assert_eq!(
        (boxed.status, boxed.text()),
        (409, "already taken".to_owned())
    );

    let json = |body: &str| {
        Request::post("/item", body.to_owned())
            .header("Content-Type", "application/json")
            .send(rr.addr)
    };
    assert_eq!(json(r#"{"id":7}"#).text(), "7");
    assert_eq!(json("{oops").status, 400, "not JSON");
    assert_eq!(json(r#"{"id":"x"}"#).status, 422, "JSON of the wrong shape");
    let not_a_form = Request::post("/item?form", r#"{"id":7}"#)
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(not_a_form.status, 415, "{}", not_a_form.text());
    let form = Request::post("/item?form", "id=8")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr);
    assert_eq!(form.text(), "8");
}

#[test]
fn a_status_headers_bytes_tuple_is_a_response() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("e2e-data-worker")));
    let res = Request::get("/bytes").send(rr.addr);
    assert_eq!(res.status, 202);
    assert_eq!(res.header("content-type"), Some("image/png"));
    assert_eq!(res.header("x-kind"), Some("tuple"));
    assert_eq!(res.body, [0x89, b'P', b'N', b'G']);
}
