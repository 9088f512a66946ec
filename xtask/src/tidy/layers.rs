//! Crates stay in their layer: the dependency tree of a published crate (`cargo tree`, normal
//! and build edges) holds what it is built on and none of the crates it must never pull in.

use std::process::Command;

/// Per crate: two crates its tree must hold (so the check reads a real tree), and the crates
/// that must not appear in it.
const LAYERS: &[(&str, [&str; 2], &[&str])] = &[
    // A second plugin on goridge and rr-worker alone: no HTTP crate.
    (
        "rr-jobs",
        ["rr-worker", "goridge"],
        &["http", "rr-http", "http-body", "hyper", "tower-service"],
    ),
    // PHP-style parameters stand alone: no HTTP, protobuf or RoadRunner crate.
    (
        "rr-params",
        ["rr-params", "serde"],
        &[
            "http",
            "rr-http",
            "prost",
            "rr-proto",
            "goridge",
            "rr-worker",
        ],
    ),
];

/// The names of the packages in `package`'s dependency tree.
fn tree_of(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(crate::paths::root())
        .args(["tree", "--offline", "-p", package])
        .args(["-e", "normal,build", "--prefix", "none"])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn no_published_crate_pulls_in_a_layer_it_must_not_depend_on() {
    for (package, present, banned) in LAYERS {
        let names = tree_of(package);
        for needed in present {
            assert!(
                names.iter().any(|n| n == needed),
                "{needed} missing from {package}'s tree: {names:?}"
            );
        }
        for banned in *banned {
            assert!(
                !names.iter().any(|n| n == banned),
                "{banned} in {package}'s tree: {names:?}"
            );
        }
    }
}
