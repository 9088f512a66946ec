//! rr-params stands alone: no HTTP, protobuf or RoadRunner crate anywhere in its dependency tree
//! (`cargo tree -p rr-params`), so it builds without the worker stack.

use std::process::Command;

#[test]
fn the_dependency_tree_has_no_http_protobuf_or_worker_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "-p",
            "rr-params",
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
        names.contains(&"rr-params") && names.contains(&"serde"),
        "{tree}"
    );
    for banned in [
        "http",
        "rr-http",
        "prost",
        "rr-proto",
        "goridge",
        "rr-worker",
    ] {
        assert!(
            !names.contains(&banned),
            "{banned} in rr-params' tree:\n{tree}"
        );
    }
}
