//! The house rules as a test (run by `cargo test -p xtask`, so by `cargo xtask test`): every
//! source file opens with a `//!` line and has at most 400 lines, no file points outside the
//! repository, crates below Rust 1.88 use no let chains, and public functions carry examples.
//!
//! Public items without docs are already refused by the `missing_docs` lint (workspace lints,
//! denied by clippy in CI). The allowlists in `tidy/allow.rs` only shrink: an entry that is no
//! longer needed fails the test too, so it gets removed.

#[cfg(test)]
mod allow;
#[cfg(test)]
mod layers;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::allow::{LONG_FILES, MISSING_EXAMPLES};
    use crate::paths;

    const MAX_LINES: usize = 400;

    const THIS_FILE: &str = "xtask/src/tidy.rs";

    /// Generated code, exempt from the style rules (not from the path rule).
    const GENERATED: &str = "rr-proto/src/generated/";

    /// Every file of the repository, tracked or new (not ignored), relative to the root.
    fn files() -> Vec<String> {
        let out = Command::new("git")
            .current_dir(paths::root())
            .args(["ls-files", "--cached", "--others", "--exclude-standard"])
            .output()
            .expect("git ls-files");
        assert!(out.status.success(), "git ls-files failed");
        let mut files: Vec<String> = String::from_utf8(out.stdout)
            .expect("UTF-8 paths")
            .lines()
            .filter(|f| paths::root().join(f).is_file())
            .map(str::to_owned)
            .collect();
        files.sort();
        files.dedup();
        files
    }

    fn read(file: &str) -> Option<String> {
        std::fs::read_to_string(paths::root().join(file)).ok()
    }

    fn rust_sources() -> Vec<(String, String)> {
        files()
            .into_iter()
            .filter(|f| f.ends_with(".rs"))
            .filter_map(|f| read(&f).map(|text| (f, text)))
            .collect()
    }

    fn fail_with(problems: Vec<String>, rule: &str) {
        assert!(problems.is_empty(), "{rule}:\n  {}", problems.join("\n  "));
    }

    #[test]
    fn every_source_file_opens_with_a_module_doc_line() {
        let problems = rust_sources()
            .into_iter()
            .filter(|(f, _)| !f.starts_with(GENERATED))
            .filter(|(_, text)| !text.starts_with("//!"))
            .map(|(f, _)| f)
            .collect();
        fail_with(problems, "files whose first line is not a `//!` doc line");
    }

    #[test]
    fn no_source_file_is_longer_than_400_lines() {
        let mut problems = Vec::new();
        let sources: BTreeMap<String, usize> = rust_sources()
            .into_iter()
            .filter(|(f, _)| !f.starts_with(GENERATED))
            .map(|(f, text)| (f, text.lines().count()))
            .collect();
        for (file, &lines) in &sources {
            let allowed = LONG_FILES.iter().any(|(f, _)| f == file);
            if lines > MAX_LINES && !allowed {
                problems.push(format!("{file}: {lines} lines; split it by topic"));
            }
        }
        for (file, why) in LONG_FILES {
            match sources.get(*file) {
                Some(&n) if n > MAX_LINES => {}
                _ => problems.push(format!(
                    "{file} ({why}) is gone or short now: remove it from LONG_FILES"
                )),
            }
        }
        fail_with(problems, "file length");
    }

    /// Text that points outside the repository: the machine's paths, notes kept elsewhere.
    const OUTSIDE: [&str; 4] = ["/work/", "shared/spec", "../shared", "/home/"];

    #[test]
    fn no_file_refers_to_anything_outside_the_repository() {
        let mut problems = Vec::new();
        // This file names the patterns it looks for.
        for file in files().into_iter().filter(|f| f != THIS_FILE) {
            let Some(text) = read(&file) else { continue };
            for (n, line) in text.lines().enumerate() {
                for bad in OUTSIDE {
                    if line.contains(bad) {
                        problems.push(format!("{file}:{}: mentions `{bad}`", n + 1));
                    }
                }
                for name in markdown_names(line) {
                    if !resolves(&file, &name) {
                        problems.push(format!("{file}:{}: no such file `{name}`", n + 1));
                    }
                }
            }
        }
        fail_with(problems, "references outside the repository");
    }

    /// Names of `.md` files in a line (not URLs).
    fn markdown_names(line: &str) -> Vec<String> {
        let is_name = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
        line.split(|c| !is_name(c))
            .filter(|t| t.ends_with(".md") && t.len() > 3 && !t.starts_with("//"))
            .map(|t| t.trim_start_matches("./").to_owned())
            .collect()
    }

    /// A name resolves next to the file naming it, from the root, or in `docs/`.
    fn resolves(file: &str, name: &str) -> bool {
        let root = paths::root();
        let dir = Path::new(file).parent().unwrap_or(Path::new(""));
        let candidates: [PathBuf; 3] = [
            root.join(dir).join(name),
            root.join(name),
            root.join("docs").join(name),
        ];
        candidates.iter().any(|p| p.is_file())
    }

    /// `rust-version` of the package a file belongs to (the workspace's when inherited).
    fn rust_version(file: &str) -> (u32, u32) {
        let root = paths::root();
        let parse = |text: &str| {
            let line = text.lines().find(|l| l.starts_with("rust-version = \""))?;
            let v = line.split('"').nth(1)?;
            let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
            Some((parts.next()??, parts.next()??))
        };
        let workspace = parse(&read("Cargo.toml").unwrap_or_default()).expect("workspace MSRV");
        let mut dir = Path::new(file).parent();
        while let Some(d) = dir {
            let manifest = root.join(d).join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                return parse(&text).unwrap_or(workspace);
            }
            dir = d.parent();
        }
        workspace
    }

    /// Let chains (`if let … && …`, `&& let …`) are stable since Rust 1.88; clippy's
    /// `incompatible_msrv` sees library APIs only, not language features.
    #[test]
    fn crates_below_rust_1_88_use_no_let_chains() {
        let mut problems = Vec::new();
        for (file, text) in rust_sources() {
            if rust_version(&file) >= (1, 88) || file == THIS_FILE {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default().trim();
                let chain = code.contains("&& let ")
                    || ((code.starts_with("if let ") || code.starts_with("while let "))
                        && code.contains(" && "));
                if chain {
                    problems.push(format!("{file}:{}: let chain (needs 1.88)", n + 1));
                }
            }
        }
        fail_with(problems, "let chains below the crate's rust-version");
    }

    /// A crate's `rust-version` is at least that of every workspace crate it builds on (its
    /// normal and build dependencies; dev-dependencies only matter for its own tests).
    #[test]
    fn no_crate_claims_an_older_rust_than_its_workspace_dependencies() {
        let root = paths::root();
        let mut manifests: BTreeMap<String, (String, (u32, u32))> = BTreeMap::new();
        for file in files().into_iter().filter(|f| f.ends_with("/Cargo.toml")) {
            let text = read(&file).unwrap_or_default();
            let name = text
                .lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .and_then(|l| l.split('"').next())
                .map(str::to_owned);
            if let Some(name) = name {
                manifests.insert(name, (file.clone(), rust_version(&file)));
            }
        }
        let mut problems = Vec::new();
        for (name, (file, version)) in &manifests {
            let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
            let mut section = "";
            for line in text.lines() {
                if line.starts_with('[') {
                    section = line;
                    continue;
                }
                if section != "[dependencies]" && section != "[build-dependencies]" {
                    continue;
                }
                let dep = line.split(['.', ' ', '=']).next().unwrap_or_default();
                if let Some((_, dep_version)) = manifests.get(dep)
                    && dep_version > version
                {
                    problems.push(format!(
                        "{name} declares {version:?} but depends on {dep} ({dep_version:?})"
                    ));
                }
            }
        }
        fail_with(problems, "rust-version below a dependency's");
    }

    /// Library code whose public functions need examples.
    const LIBRARIES: [&str; 8] = [
        "goridge/src/",
        "rr-jobs/src/",
        "rr-params/src/",
        "rr-worker/src/",
        "rr-http/src/",
        "rr-rpc/src/",
        "rr-proto/src/lib.rs",
        "testkit/src/",
    ];

    /// Public functions of a file whose doc comment has no code block.
    fn functions_without_example(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        let mut found = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_pub_fn = [
                "pub fn ",
                "pub const fn ",
                "pub async fn ",
                "pub unsafe fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if !is_pub_fn {
                continue;
            }
            let doc = lines[..i]
                .iter()
                .rev()
                .take_while(|l| {
                    let l = l.trim_start();
                    l.starts_with("///") || l.starts_with("#[")
                })
                .any(|l| l.contains("```"));
            if !doc {
                let name = t.split('(').next().unwrap_or(t).to_owned();
                found.push(name);
            }
        }
        found
    }

    #[test]
    fn public_functions_have_examples() {
        let mut problems = Vec::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (file, text) in rust_sources() {
            if !LIBRARIES.iter().any(|l| file.starts_with(l)) || file.starts_with(GENERATED) {
                continue;
            }
            let missing = functions_without_example(&text);
            if !missing.is_empty() {
                counts.insert(file.clone(), missing.len());
            }
            let allowed = MISSING_EXAMPLES
                .iter()
                .find(|(f, _)| *f == file)
                .map_or(0, |(_, n)| *n);
            if missing.len() > allowed {
                problems.push(format!(
                    "{file}: {} public functions without an example (allowed: {allowed}): {}",
                    missing.len(),
                    missing.join(", ")
                ));
            }
        }
        for (file, allowed) in MISSING_EXAMPLES {
            let now = counts.get(*file).copied().unwrap_or(0);
            if now < *allowed {
                problems.push(format!(
                    "{file}: only {now} functions lack examples now: lower its entry to {now}"
                ));
            }
        }
        fail_with(problems, "public functions without an example");
    }

    #[test]
    fn the_checks_notice_what_they_look_for() {
        assert_eq!(
            markdown_names("see `docs/http.md`, not x.rs"),
            ["docs/http.md"]
        );
        assert!(markdown_names("https://example.org/a.md").is_empty());
        assert!(!resolves("goridge/src/lib.rs", "protocol.md"));
        assert!(resolves("goridge/src/lib.rs", "frames.md"));
        let text = "/// Doc.\npub fn a() {}\n/// ```\n/// a();\n/// ```\npub fn b() {}\n";
        assert_eq!(functions_without_example(text), ["pub fn a"]);
        assert_eq!(rust_version("e2e/src/lib.rs"), (1, 89));
        assert_eq!(rust_version("goridge/src/lib.rs"), (1, 85));
    }
}
