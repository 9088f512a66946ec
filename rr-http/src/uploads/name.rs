//! Reducing a client's file name to one harmless path component.

/// Format characters that change how a name reads without being seen (bidi overrides,
/// zero-width characters, BOM): `invoice\u{202E}fdp.exe` would read as `invoiceexe.pdf`.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

pub(super) fn sanitize(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let mut out = String::new();
    for c in cleaned.chars() {
        if out.len() + c.len_utf8() > 200 {
            break;
        }
        out.push(c);
    }
    if out.is_empty() {
        "upload".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_one_harmless_component() {
        for (input, want) in [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("..", "upload"),
            ("", "upload"),
            (".htaccess", "htaccess"),
            ("a\u{0}b\nc.txt", "abc.txt"),
            ("/", "upload"),
            ("ok name.tar.gz", "ok name.tar.gz"),
            ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
            ("a\u{200B}b", "ab"),
        ] {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
        assert!(sanitize(&"é".repeat(300)).len() <= 200);
    }
}
