//! Issue 7, errors decided by type through the real rr: a handler's own error enum, a boxed
//! `HttpError`, and rr-http's rejections each answer with their status.

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
