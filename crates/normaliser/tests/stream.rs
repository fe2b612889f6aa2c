//! `normaliser stream` as a pipeline runs it: records on stdin, rows on stdout, an error row
//! for each record it cannot normalise, and the stream goes on.

use std::io::Write;
use std::process::{Command, Stdio};

fn stream(input: &[u8], args: &[&str]) -> (Vec<serde_json::Value>, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_normaliser"))
        .arg("stream")
        .args(args)
        .arg("-q")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let rows = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (rows, out.status.code().unwrap())
}

fn page(paragraph: &str) -> String {
    format!(
        "<html><head><meta property=\"article:published_time\" content=\"2024-03-02\"></head>\
         <body><article><h1>Flood</h1><p>{paragraph}</p></article></body></html>"
    )
}

fn record(id: &str, html: &str) -> String {
    serde_json::json!({"id": id, "url": format!("https://news.example/{id}"), "html": html})
        .to_string()
}

fn nested(depth: usize) -> String {
    let mut html = String::from("<html><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>Rescuers found 14 people alive under the rubble of the building.</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    html
}

#[test]
fn bad_records_give_error_rows_and_the_stream_goes_on() {
    let good = record(
        "good",
        &page("Nine people were killed when the river burst its banks."),
    );
    let mut input = Vec::new();
    for line in [
        good.as_bytes(),
        b"{\"id\": \"broken\", \"html\": ",
        b"{\"id\": \"bad\xff\", \"text\": \"x\"}",
        record("huge", &page(&"word ".repeat(40_000))).as_bytes(),
        record("deep", &nested(8_000)).as_bytes(),
        br#"{"id": "both", "html": "<p>a</p>", "text": "a"}"#,
        good.as_bytes(),
    ] {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let (rows, code) = stream(&input, &["--max-record-bytes", "100000"]);
    let shown: Vec<String> = rows
        .iter()
        .map(|r| match r.get("error") {
            Some(e) => format!("line {} {}: {}", r["line"], r["id"], e.as_str().unwrap()),
            None => format!(
                "{}: {} blocks, published {}",
                r["id"],
                r["doc"]["blocks"].as_array().unwrap().len(),
                r["doc"]["meta"]["published"]
            ),
        })
        .collect();
    expect_test::expect![[r#"
        [
            "\"good\": 2 blocks, published \"2024-03-02\"",
            "line 2 null: EOF while parsing a value at line 1 column 25",
            "line 3 null: not valid UTF-8 (invalid byte at offset 11)",
            "line 4 null: record of 200201 bytes is larger than the limit of 100000 bytes",
            "\"deep\": 1 blocks, published null",
            "line 6 \"both\": a record holds exactly one of html and text",
            "\"good\": 2 blocks, published \"2024-03-02\"",
        ]
    "#]]
    .assert_debug_eq(&shown);
    assert_eq!(
        rows[0], rows[6],
        "a record gives the same row wherever it is"
    );
    assert_eq!(rows[0]["raw"]["body"], "", "the page is not carried on");
    assert_eq!(code, 1, "failed records make exit code 1");
}

#[test]
fn the_same_input_gives_the_same_output() {
    let input = format!(
        "{}\n{}\n",
        record("a", &page("Three people died.")),
        serde_json::json!({"id": "b", "text": "Two were injured.\n\nPolice said so.", "date": "2024-03-01"})
    );
    let (first, code) = stream(input.as_bytes(), &[]);
    let (second, _) = stream(input.as_bytes(), &[]);
    assert_eq!(first, second);
    assert_eq!(code, 0);
    assert_eq!(first.len(), 2);
    assert_eq!(first[1]["doc"]["meta"]["published"], "2024-03-01");
}
