//! Claims for spreadsheets and notebooks: one CSV row per claim (`claims --format csv`,
//! `report/claims.csv`), from the same flat claim objects as the JSON Lines. Pure: rows in,
//! text out.

use serde_json::Value;

/// The columns, in order. `measure` is the claim's kind for weapons (`weapon`) and blame
/// (`blame`); a count's columns are empty on the other kinds' rows and the other way round.
pub const CSV_COLUMNS: [&str; 17] = [
    "event",
    "article",
    "kind",
    "measure",
    "subject",
    "count",
    "qualifier",
    "weapon",
    "accuser",
    "accused",
    "denial",
    "outlet",
    "url",
    "published",
    "attribution",
    "place",
    "quote",
];

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first) gets a leading `'`: scraped text must not become a formula on opening.
/// Numbers are written as numbers and never guarded.
fn guarded(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn cell(line: &Value, column: &str) -> String {
    let key = match column {
        "place" => "location",
        "weapon" => "value",
        other => other,
    };
    match (column, line.get(key)) {
        ("measure", _) if line["kind"] != "count" => line["kind"].as_str().unwrap_or("").into(),
        (_, None | Some(Value::Null)) => String::new(),
        (_, Some(Value::String(s))) => guarded(s),
        (_, Some(Value::Number(n))) => n.to_string(),
        (_, Some(Value::Bool(b))) => b.to_string(),
        (_, Some(other)) => guarded(&other.to_string()),
    }
}

/// The claims as CSV (RFC 4180: a header row, fields quoted where needed, CRLF line ends),
/// readable by a spreadsheet, Python's `csv` module and pandas without options.
pub fn claims_csv(lines: &[Value]) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        out.write_record(row)
            .expect("writing CSV into memory cannot fail");
    };
    write(&mut out, &CSV_COLUMNS.map(String::from));
    for line in lines {
        write(&mut out, &CSV_COLUMNS.map(|c| cell(line, c)));
    }
    let bytes = out
        .into_inner()
        .expect("writing CSV into memory cannot fail");
    String::from_utf8(bytes).expect("the CSV is made of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use serde_json::json;

    #[test]
    fn one_row_per_claim_quoted_and_guarded() {
        let lines = [
            json!({"article": "a1", "kind": "count", "measure": "killed", "subject": "people",
                "count": 21, "qualifier": "at_least", "location": "Kharkiv, Ukraine",
                "event": "kharkiv-2024-03-02-attack", "attribution": "the governor",
                "quote": "At least 21 were killed, \"officials\" said,\nlater.",
                "outlet": "Example News", "url": "https://example.com/a?x=1,2",
                "published": "2024-03-02"}),
            json!({"article": "a2", "kind": "weapon", "value": "Iskander", "mention": "an Iskander",
                "event": null, "attribution": null, "quote": "=HYPERLINK(\"http://x\")",
                "outlet": "-x", "url": null, "published": null}),
            json!({"article": "a2", "kind": "blame", "accuser": "Kyiv", "accused": "Moscow",
                "denial": false, "event": null, "attribution": null, "quote": "Kyiv blamed Moscow.",
                "outlet": "b.example", "url": null, "published": null}),
        ];
        expect![[r#"
            event,article,kind,measure,subject,count,qualifier,weapon,accuser,accused,denial,outlet,url,published,attribution,place,quote
            kharkiv-2024-03-02-attack,a1,count,killed,people,21,at_least,,,,,Example News,"https://example.com/a?x=1,2",2024-03-02,the governor,"Kharkiv, Ukraine","At least 21 were killed, ""officials"" said,
            later."
            ,a2,weapon,weapon,,,,Iskander,,,,'-x,,,,,"'=HYPERLINK(""http://x"")"
            ,a2,blame,blame,,,,,Kyiv,Moscow,false,b.example,,,,,Kyiv blamed Moscow.
        "#]]
        .assert_eq(&claims_csv(&lines).replace("\r\n", "\n"));
        assert!(claims_csv(&lines).ends_with("Moscow.\r\n"));
    }
}
