//! The golden vectors shown in `docs/` are exactly the kit's: same names, same bytes, none
//! missing, none extra.

use std::path::Path;

use rr_testkit::vectors::{self, FrameVector};
use rr_testkit::{try_unhex, unhex};

fn page(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The vector rows of a page's table: `| `name` | what | `bytes` |`.
fn rows(text: &str) -> Vec<(String, Vec<u8>)> {
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let [_, name, _, bytes, _] = cells.as_slice() else {
                return None;
            };
            let name = name.strip_prefix('`')?.strip_suffix('`')?;
            let bytes = bytes.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_owned(), try_unhex(bytes).ok()?))
        })
        .collect()
}

fn check(page_name: &str, kit: Vec<FrameVector>) {
    let shown = rows(&page(page_name));
    let expected: Vec<(String, Vec<u8>)> = kit
        .into_iter()
        .map(|v| (v.name.to_owned(), unhex(v.wire_hex)))
        .collect();
    let names = |list: &[(String, Vec<u8>)]| list.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&shown), names(&expected), "{page_name}: vector rows");
    for ((name, got), (_, want)) in shown.iter().zip(&expected) {
        assert!(
            got == want,
            "{page_name}: {name} shows other bytes than the kit"
        );
    }
}

#[test]
fn frames_page_shows_every_frame_vector() {
    check("frames.md", vectors::frames::all());
}

#[test]
fn http_page_shows_every_http_vector() {
    check("http.md", vectors::http::all());
}

#[test]
fn a_changed_byte_is_noticed() {
    let text = page("frames.md").replace("26 f8 e0 09", "26 f8 e0 0a");
    let rows = rows(&text);
    let v1 = vectors::frames::v01_empty_control();
    assert_ne!(rows[0].1, v1.wire);
}
