//! The chart of a run, drawn from its medians as an SVG: round trips per second and worker CPU
//! per round trip, one bar per worker. Hand-written SVG (a few rectangles and labels) rather
//! than a plotting crate.

use std::fmt::Write;

/// Parses the tab-separated medians `report::print` returns: a header line, then per worker
/// its name and its columns.
pub(crate) fn parse_tsv(tsv: &str) -> Result<Vec<(String, Vec<f64>)>, String> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cells = l.split('\t');
            let name = cells.next().unwrap_or_default().to_owned();
            let values = cells
                .map(|c| c.parse::<f64>().map_err(|e| format!("{c:?}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            if values.len() < 4 {
                return Err(format!("{name}: too few columns"));
            }
            Ok((name, values))
        })
        .collect()
}

/// Two panels side by side: round trips/s (column 0) and worker CPU µs per round trip
/// (column 3).
pub(crate) fn svg(medians: &[(String, Vec<f64>)], caption: &str) -> String {
    let (bar_h, gap, label_w, panel_w) = (22.0, 8.0, 70.0, 300.0);
    let top = 50.0;
    let height = top + medians.len() as f64 * (bar_h + gap) + 40.0;
    let width = 2.0 * (label_w + panel_w + 60.0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let panels = [
        (
            0usize,
            "round trips per second (higher is better)",
            "#3b7dd8",
            0.0,
        ),
        (
            3usize,
            "worker CPU µs per round trip (lower is better)",
            "#d8783b",
            width / 2.0,
        ),
    ];
    for (column, title, colour, x0) in panels {
        let max = medians
            .iter()
            .map(|(_, v)| v[column])
            .fold(0.0, f64::max)
            .max(1e-9);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="24" font-weight="bold">{title}</text>"#,
            x0 + 10.0
        );
        for (i, (name, values)) in medians.iter().enumerate() {
            let y = top + i as f64 * (bar_h + gap);
            let w = values[column] / max * panel_w;
            let value = if column == 0 {
                format!("{:.0}", values[column])
            } else {
                format!("{:.2}", values[column])
            };
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" text-anchor="end">{name}</text><rect x="{}" y="{y}" width="{w:.1}" height="{bar_h}" fill="{colour}"/><text x="{:.1}" y="{}">{value}</text>"#,
                x0 + label_w,
                y + 15.0,
                x0 + label_w + 6.0,
                x0 + label_w + 10.0 + w,
                y + 15.0
            );
        }
    }
    let _ = writeln!(
        out,
        r##"<text x="10" y="{}" fill="#555">{caption}</text>"##,
        height - 14.0
    );
    out.push_str("</svg>\n");
    out
}
