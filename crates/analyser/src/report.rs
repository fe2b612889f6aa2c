//! Rendering the comparison: Markdown and a self-contained HTML page. Every scraped string is
//! escaped.

use std::fmt::Write;

use corpus::{Comparison, Qualifier, ReportedValue};

fn value_text(v: &ReportedValue) -> String {
    let n = v.count.map_or_else(|| "?".to_string(), |c| c.to_string());
    match v.qualifier {
        Qualifier::Exact => n,
        Qualifier::AtLeast => format!("≥{n}"),
        Qualifier::MoreThan => format!(">{n}"),
        Qualifier::About => format!("~{n}"),
        Qualifier::Vague => "vague".into(),
    }
}

/// Markdown table cells: pipes and line breaks would break the table.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn markdown(c: &Comparison) -> String {
    let mut out = String::from("# Crosscheck comparison\n");
    for e in &c.events {
        let _ = writeln!(
            out,
            "\n## {} (`{}`)\n\n{} articles",
            md_cell(&e.label),
            e.id,
            e.articles.len()
        );
        for f in &e.figures {
            let _ = writeln!(out, "\n### {} {}\n", f.measure, f.subject);
            out.push_str(
                "| value | outlet | published | attribution | quote |\n|---|---|---|---|---|\n",
            );
            for v in &f.values {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    value_text(v),
                    md_cell(&v.outlet),
                    v.published
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "unknown".into()),
                    md_cell(v.attribution.as_deref().unwrap_or("-")),
                    md_cell(&v.quote)
                );
            }
        }
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn html(c: &Comparison) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Crosscheck comparison</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top}</style></head><body><h1>Crosscheck comparison</h1>",
    );
    for e in &c.events {
        let _ = write!(
            out,
            "<section><h2>{}</h2><p>{} articles</p>",
            escape(&e.label),
            e.articles.len()
        );
        for f in &e.figures {
            let _ = write!(
                out,
                "<h3>{} {}</h3><table><tr><th>value</th><th>outlet</th><th>published</th><th>attribution</th><th>quote</th></tr>",
                escape(&f.measure),
                escape(&f.subject)
            );
            for v in &f.values {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&value_text(v)),
                    escape(&v.outlet),
                    v.published
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "unknown".into()),
                    escape(v.attribution.as_deref().unwrap_or("-")),
                    escape(&v.quote)
                );
            }
            out.push_str("</table>");
        }
        out.push_str("</section>");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_scraped_text() {
        assert_eq!(
            escape("\"><img onerror=x>"),
            "&quot;&gt;&lt;img onerror=x&gt;"
        );
        assert_eq!(
            escape("<script>a&b</script>"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;"
        );
    }
}
