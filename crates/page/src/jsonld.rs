//! JSON-LD: the objects of a page's `application/ld+json` scripts that describe its article
//! (schema.org `Article` and its kinds, `BlogPosting`, `Report`), or failing that the web page.

use serde_json::Value;

use crate::facts::tidy;

/// Parses the scripts' text; a script wrapped in a comment or CDATA is unwrapped, one that
/// is not JSON is passed over.
pub fn parse(scripts: &[String]) -> Vec<Value> {
    scripts
        .iter()
        .filter_map(|text| {
            let trimmed = text
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim()
                .trim_start_matches("//<![CDATA[")
                .trim_end_matches("//]]>")
                .trim();
            serde_json::from_str(trimmed).ok()
        })
        .collect()
}

/// The objects that describe an article, then the web page, most specific first (searched
/// through arrays and `@graph`).
pub fn article_objects(values: &[Value]) -> Vec<&Value> {
    let mut all = Vec::new();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if rank(v) < 2 {
                    all.push(v);
                }
            }
            _ => {}
        }
    }
    all.sort_by_key(|v| rank(v));
    all
}

/// 0 for an article, 1 for a web page, 2 for anything else.
fn rank(v: &Value) -> u8 {
    let types: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let types = types.iter().map(|t| t.rsplit('/').next().unwrap_or(t));
    let mut best = 2;
    for t in types {
        if t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Report" {
            return 0;
        }
        if t.ends_with("WebPage") {
            best = 1;
        }
    }
    best
}

/// A value as text: a string, the first of a list, an object's `name` or `@value`.
pub fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(tidy(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(string_of),
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("@value"))
            .and_then(string_of),
        _ => None,
    }
}

/// The names in an `author` (a string, an object, or a list of either).
pub fn names_of(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(names_of).collect(),
        Value::Object(o) => o.get("name").and_then(string_of).into_iter().collect(),
        _ => Vec::new(),
    }
}
