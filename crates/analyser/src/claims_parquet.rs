//! Claims as Parquet files, partitioned Hive-style by month of publication and outlet
//! (`month=2024-01/outlet=Reuters/<name>.parquet`), as Spark, pyarrow, DuckDB and polars read
//! a partitioned dataset. The columns are the fields of `analyser claims --format jsonl`
//! (docs/schema/claim.schema.json); `outlet` is the partition's folder, as the Hive layout
//! has it, and `month` (`undated` without a date) the other. Two fields hold lists and are
//! written as their JSON text: `parts` and `attribution_chain`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::basic::Compression;
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;
use serde_json::Value;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (a list is its JSON text).
    Text,
    Integer,
    Boolean,
}

/// The columns, in order; `article` and `kind` are always there, the others may be null.
pub const COLUMNS: &[(&str, Kind)] = &[
    ("article", Kind::Text),
    ("kind", Kind::Text),
    ("event", Kind::Text),
    ("published", Kind::Text),
    ("url", Kind::Text),
    ("measure", Kind::Text),
    ("subject", Kind::Text),
    ("count", Kind::Integer),
    ("qualifier", Kind::Text),
    ("location", Kind::Text),
    ("attribution", Kind::Text),
    ("attribution_chain", Kind::Text),
    ("quote", Kind::Text),
    ("parts", Kind::Text),
    ("value", Kind::Text),
    ("mention", Kind::Text),
    ("accuser", Kind::Text),
    ("accused", Kind::Text),
    ("denial", Kind::Boolean),
];

/// The Parquet schema of [`COLUMNS`].
pub fn schema_text() -> String {
    let mut text = String::from("message claim {\n");
    for &(name, kind) in COLUMNS {
        let repetition = if matches!(name, "article" | "kind") {
            "required"
        } else {
            "optional"
        };
        let ty = match kind {
            Kind::Text => "binary",
            Kind::Integer => "int64",
            Kind::Boolean => "boolean",
        };
        let annotation = if kind == Kind::Text { " (STRING)" } else { "" };
        text.push_str(&format!("  {repetition} {ty} {name}{annotation};\n"));
    }
    text.push('}');
    text
}

/// A claim line's month of publication (`2024-01`), or `undated`.
pub fn month(line: &Value) -> String {
    let day = line["published"]
        .as_str()
        .and_then(corpus::PubTime::parse)
        .map(|p| p.date());
    corpus::stream::month_of(day)
}

/// A partition's folder name for a value: `%XX` for the characters Hive escapes (`/`, `=`,
/// `%`, `:` and the like, controls), as Spark and pyarrow read it back. A long value is cut
/// and given a hash of itself, so that a folder name stays within file system limits.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_control() || "\"#%'*/:=?\\{[]^".contains(c) || c == '\u{7f}' {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        // Hive's name for an empty or null partition value
        return "__HIVE_DEFAULT_PARTITION__".into();
    }
    if out.len() > 160 {
        let mut cut = 140;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let hash = corpus::sha256_hex(value);
        out = format!("{}_{}", &out[..cut], &hash[..16]);
    }
    out
}

/// The lines by partition: (month, outlet) to the lines, in their order.
pub fn partitions(lines: &[Value]) -> BTreeMap<(String, String), Vec<&Value>> {
    let mut parts: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
    for line in lines {
        let outlet = line["outlet"].as_str().unwrap_or("").to_string();
        parts.entry((month(line), outlet)).or_default().push(line);
    }
    parts
}

/// Writes the claim lines under `dir`, one file named `file_name` in each partition's
/// folder (each written whole: a temporary file renamed). Returns the files written.
pub fn write_claims(
    lines: &[Value],
    dir: &Path,
    file_name: &str,
) -> Result<Vec<PathBuf>, ::parquet::errors::ParquetError> {
    let mut written = Vec::new();
    for ((month, outlet), rows) in partitions(lines) {
        let folder = dir
            .join(format!("month={}", escape(&month)))
            .join(format!("outlet={}", escape(&outlet)));
        fs::create_dir_all(&folder)?;
        let path = folder.join(file_name);
        let temp = folder.join(format!(".{file_name}.tmp"));
        write_file(&rows, fs::File::create(&temp)?)?;
        fs::rename(&temp, &path)?;
        written.push(path);
    }
    Ok(written)
}

/// One Parquet file of the rows (one row group).
pub fn write_file(
    rows: &[&Value],
    out: impl std::io::Write + Send,
) -> Result<(), ::parquet::errors::ParquetError> {
    let schema = Arc::new(parse_message_type(&schema_text())?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("crosscheck analyser {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let (name, kind) = COLUMNS[index];
        index += 1;
        let required = matches!(name, "article" | "kind");
        let empty = Value::String(String::new());
        let values: Vec<Option<&Value>> = rows
            .iter()
            .map(|r| r.get(name).filter(|v| !v.is_null()))
            .map(|v| if required { v.or(Some(&empty)) } else { v })
            .collect();
        let defs: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
        let defs = (!required).then_some(&defs[..]);
        match kind {
            Kind::Text => {
                let present: Vec<ByteArray> = values
                    .iter()
                    .flatten()
                    .map(|v| text_of(v).into_bytes().into())
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&present, defs, None)?;
            }
            Kind::Integer => {
                let present: Vec<i64> = values
                    .iter()
                    .flatten()
                    .map(|v| v.as_i64().unwrap_or(i64::MAX))
                    .collect();
                column
                    .typed::<Int64Type>()
                    .write_batch(&present, defs, None)?;
            }
            Kind::Boolean => {
                let present: Vec<bool> = values
                    .iter()
                    .flatten()
                    .map(|v| v.as_bool() == Some(true))
                    .collect();
                column
                    .typed::<BoolType>()
                    .write_batch(&present, defs, None)?;
            }
        }
        column.close()?;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

/// A value as a string column holds it: a string as it is, anything else as JSON text.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[path = "claims_parquet/tests.rs"]
mod tests;
