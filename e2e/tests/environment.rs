//! Issue 7, a worker environment holding a variable that is not UTF-8: the worker still
//! starts under the real rr and serves (it used to panic in `std::env::vars`, exit 101, and
//! rr then failed to start).

use std::os::unix::fs::PermissionsExt;

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary};
use serde_json::json;

#[test]
fn worker_starts_with_a_variable_that_is_not_utf8() {
    // rr's config is YAML text, so the bytes are put into the environment by a wrapper script
    // that rr starts as the worker command.
    let dir = std::env::temp_dir().join(format!("rr-e2e-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("worker.sh");
    let worker = sibling_binary("e2e-data-worker");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nE2E_LATIN1=\"$(printf 'caf\\351')\"\nexport E2E_LATIN1\nexec {:?} \"$@\"\n",
            worker.display().to_string()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    let rr = RrServer::start(ServerConfig::new(&script).workers(2));
    let res = Request::get("/latin1").send(rr.addr);
    assert_eq!(res.status, 200, "{}\n{}", res.text(), rr.log());
    assert_eq!(
        res.json(),
        json!({ "bytes": [b'c', b'a', b'f', 0xe9] }),
        "the variable really is Latin-1 in the worker's environment"
    );
    drop(rr);
    std::fs::remove_dir_all(&dir).unwrap();
}
