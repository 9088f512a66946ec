//! rr-jobs is a second plugin on `goridge` and `rr-worker` alone: no `http` crate anywhere in
//! its dependency tree (`cargo tree -p rr-jobs`).

use std::process::Command;

#[test]
fn the_dependency_tree_has_no_http_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "-p",
            "rr-jobs",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"rr-worker") && names.contains(&"goridge"),
        "{tree}"
    );
    for banned in ["http", "rr-http", "http-body", "hyper", "tower-service"] {
        assert!(
            !names.contains(&banned),
            "{banned} in rr-jobs' tree:\n{tree}"
        );
    }
}
