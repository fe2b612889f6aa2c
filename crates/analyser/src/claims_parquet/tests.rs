use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::Field;

use super::*;

fn lines() -> Vec<Value> {
    vec![
        serde_json::json!({"article": "a1", "kind": "count", "measure": "killed", "subject": "people",
            "count": 12, "qualifier": "at_least", "location": "Kharkiv", "event": "e1",
            "attribution": "officials", "quote": "At least 12 people were killed",
            "parts": [{"subject": "children", "count": 2}], "attribution_chain": ["officials"],
            "outlet": "Reuters", "url": "https://r.example/1", "published": "2024-01-02"}),
        serde_json::json!({"article": "a1", "kind": "weapon", "value": "missile", "mention": "missiles",
            "event": null, "attribution": null, "quote": "missiles hit",
            "outlet": "Reuters", "url": "https://r.example/1", "published": "2024-01-02"}),
        serde_json::json!({"article": "b2", "kind": "blame", "accuser": "Russia", "accused": "Ukraine",
            "denial": true, "event": "e1", "attribution": "Moscow", "quote": "Moscow blamed Kyiv",
            "outlet": "a/b: c=d", "url": null, "published": null}),
        serde_json::json!({"article": "c3", "kind": "count", "measure": "injured", "subject": "people",
            "count": null, "qualifier": "vague", "location": null, "event": "e2",
            "attribution": null, "quote": "dozens were hurt", "parts": [], "attribution_chain": [],
            "outlet": "Reuters", "url": null, "published": "2024-02-29T23:00:00+01:00"}),
    ]
}

/// Every file under `dir` read back as claim lines, with `month` and `outlet` from the path.
fn read_back(dir: &Path) -> Vec<Value> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let reader = SerializedFileReader::new(fs::File::open(&file).unwrap()).unwrap();
        for row in reader.get_row_iter(None).unwrap() {
            let mut line = serde_json::Map::new();
            for (name, field) in row.unwrap().get_column_iter() {
                let value = match field {
                    Field::Null => Value::Null,
                    Field::Bool(b) => (*b).into(),
                    Field::Long(n) => (*n).into(),
                    Field::Str(s) => s.clone().into(),
                    other => panic!("{name}: {other:?}"),
                };
                line.insert(name.clone(), value);
            }
            line.insert("path".into(), rel.clone().into());
            out.push(Value::Object(line));
        }
    }
    out
}

#[test]
fn claims_are_written_by_month_and_outlet_and_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_claims(&lines(), dir.path(), "part-0.parquet").unwrap();
    assert_eq!(written.len(), 3);
    let back = read_back(dir.path());
    let paths: Vec<&str> = back.iter().map(|l| l["path"].as_str().unwrap()).collect();
    expect_test::expect![[r#"
        [
            "month=2024-01/outlet=Reuters/part-0.parquet",
            "month=2024-01/outlet=Reuters/part-0.parquet",
            "month=2024-02/outlet=Reuters/part-0.parquet",
            "month=undated/outlet=a%2Fb%3A c%3Dd/part-0.parquet",
        ]
    "#]]
    .assert_debug_eq(&paths);
    // every field of each line comes back (lists as their JSON text; outlet in the path)
    for line in lines() {
        let got = back
            .iter()
            .find(|b| b["article"] == line["article"] && b["kind"] == line["kind"])
            .unwrap();
        for (name, value) in line.as_object().unwrap() {
            let expected = match (name.as_str(), value) {
                ("outlet", _) => continue,
                (_, Value::Array(_)) => Value::String(value.to_string()),
                _ => value.clone(),
            };
            assert_eq!(got[name.as_str()], expected, "{name} of {line}");
        }
    }
}

#[test]
fn the_same_claims_make_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let wa = write_claims(&lines(), a.path(), "x.parquet").unwrap();
    let wb = write_claims(&lines(), b.path(), "x.parquet").unwrap();
    for (fa, fb) in wa.iter().zip(&wb) {
        assert_eq!(fs::read(fa).unwrap(), fs::read(fb).unwrap());
    }
}

#[test]
fn folder_names_escape_what_hive_escapes() {
    assert_eq!(escape("a/b: c=d%"), "a%2Fb%3A c%3Dd%25");
    assert_eq!(escape(""), "__HIVE_DEFAULT_PARTITION__");
    let long = escape(&"é".repeat(200));
    assert!(long.len() <= 160, "{}", long.len());
    assert_ne!(escape(&"é".repeat(200)), escape(&"é".repeat(201)));
}
