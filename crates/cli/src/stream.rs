//! The line loop every stage's streaming mode shares: JSON Lines in on stdin, JSON Lines out
//! on stdout, one record at a time, with a cap on each record's size and time. A record that
//! cannot be read or worked (malformed, too large, not UTF-8, too slow, a bug that panics)
//! gives one error row, and the stream goes on: an error never ends it.
//!
//! An error row is `{"error": "...", "stage": "...", "line": N}`, with `"id"` when the line
//! named one. Every other row is the stage's own. An error row an earlier stage wrote (a
//! line that starts with `{"error":`) is passed on as it is, so that a pipeline's last
//! output names every record lost on the way.

use std::io::{self, BufRead, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// What one record gave: its rows (each a JSON object on one line), or why it gave none.
pub type Outcome = Result<Vec<String>, String>;

/// The work done on one line (a JSON text without its newline).
pub type Work = Arc<dyn Fn(&str) -> Outcome + Send + Sync>;

/// Limits on one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// A line longer than this is refused unread (its bytes are skipped, not kept).
    pub max_record_bytes: usize,
    /// A record still being worked after this long is given up: its error row is written
    /// and the stream goes on with the next (the late work is dropped when it ends).
    pub max_record_time: Duration,
}

/// The default caps: 16 MiB and 30 seconds a record.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 << 20;
pub const DEFAULT_MAX_RECORD_SECONDS: u64 = 30;

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_record_time: Duration::from_secs(DEFAULT_MAX_RECORD_SECONDS),
        }
    }
}

/// The caps as flags of a `stream` subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct CapArgs {
    /// Refuse a record (a line) longer than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Give up a record still being worked after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_MAX_RECORD_SECONDS as f64)]
    pub max_record_seconds: f64,
}

impl CapArgs {
    pub fn caps(&self) -> Caps {
        Caps {
            max_record_bytes: self.max_record_bytes,
            max_record_time: Duration::try_from_secs_f64(self.max_record_seconds.max(0.001))
                .unwrap_or(Duration::MAX),
        }
    }
}

/// [`run`] on stdin and stdout.
pub fn run_stdio(caps: &Caps, stage: &str, work: Work) -> io::Result<Summary> {
    run(io::stdin().lock(), io::stdout().lock(), caps, stage, work)
}

/// How an error row starts (its keys are written sorted).
const UPSTREAM_ERROR: &str = "{\"error\":";

/// What a stream did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read (blank lines not counted).
    pub records: usize,
    /// Rows written, error rows included.
    pub rows: usize,
    /// Records that gave an error row.
    pub failed: usize,
    /// Error rows of earlier stages, passed on.
    pub passed: usize,
}

/// A line as read: its bytes, or how long it was when it passed the cap.
enum Line {
    Bytes,
    TooLong(usize),
}

/// Reads one line into `buf` (without its newline), keeping at most `cap` bytes.
/// `None` at the end of the input.
fn read_line(input: &mut impl BufRead, cap: usize, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
    buf.clear();
    let mut total = 0usize;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match total {
                0 => None,
                n if n > cap => Some(Line::TooLong(n)),
                _ => Some(Line::Bytes),
            });
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if total + take <= cap {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            buf.clear();
        }
        total += take;
        input.consume(take + usize::from(done));
        if done {
            return Ok(Some(if total > cap {
                Line::TooLong(total)
            } else {
                Line::Bytes
            }));
        }
    }
}

/// The thread that works the records, so that a slow one can be given up.
struct Worker {
    jobs: Sender<String>,
    done: Receiver<Outcome>,
}

impl Worker {
    fn start(work: &Work) -> Worker {
        let (jobs, job_rx) = mpsc::channel::<String>();
        let (done_tx, done) = mpsc::channel();
        let work = Arc::clone(work);
        std::thread::spawn(move || {
            for line in job_rx {
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&line)))
                        .unwrap_or_else(|panic| {
                            Err(format!("internal error: {}", panic_text(&panic)))
                        });
                if done_tx.send(outcome).is_err() {
                    break;
                }
            }
        });
        Worker { jobs, done }
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

/// The error row of line `line`, naming the id when the line gives one.
pub fn error_row(stage: &str, line: usize, text: Option<&str>, error: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Named {
        id: String,
    }
    let id = text.and_then(|t| serde_json::from_str::<Named>(t).ok().map(|n| n.id));
    let mut row = serde_json::json!({"error": error, "stage": stage, "line": line});
    if let Some(id) = id {
        row["id"] = id.into();
    }
    row.to_string()
}

/// Reads records from `input` a line at a time, works each with `work` within `caps`, and
/// writes their rows to `output`. Stops at the end of the input, or quietly when the reader
/// of the output has gone (a closed pipe); other read and write errors end it with an error.
pub fn run(
    mut input: impl BufRead,
    output: impl Write,
    caps: &Caps,
    stage: &str,
    work: Work,
) -> io::Result<Summary> {
    let mut out = io::BufWriter::new(output);
    let mut summary = Summary::default();
    let mut worker = Worker::start(&work);
    let mut buf = Vec::new();
    let mut number = 0usize;
    while let Some(line) = read_line(&mut input, caps.max_record_bytes, &mut buf)? {
        number += 1;
        if matches!(line, Line::Bytes) && buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.records += 1;
        let rows = match (line, std::str::from_utf8(&buf)) {
            (Line::TooLong(n), _) => Err(error_row(
                stage,
                number,
                None,
                &format!(
                    "record of {n} bytes is larger than the limit of {} bytes",
                    caps.max_record_bytes
                ),
            )),
            (Line::Bytes, Err(e)) => Err(error_row(
                stage,
                number,
                None,
                &format!(
                    "not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )),
            (Line::Bytes, Ok(text)) if text.starts_with(UPSTREAM_ERROR) => {
                summary.passed += 1;
                Ok(vec![text.to_string()])
            }
            (Line::Bytes, Ok(text)) => one_record(&mut worker, &work, text, caps)
                .map_err(|e| error_row(stage, number, Some(text), &e)),
        };
        let rows = rows.unwrap_or_else(|row| {
            summary.failed += 1;
            vec![row]
        });
        for row in rows {
            summary.rows += 1;
            if let Err(e) = writeln!(out, "{row}") {
                return quiet_on_closed_pipe(e, summary);
            }
        }
    }
    match out.flush() {
        Ok(()) => Ok(summary),
        Err(e) => quiet_on_closed_pipe(e, summary),
    }
}

fn quiet_on_closed_pipe(e: io::Error, summary: Summary) -> io::Result<Summary> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(summary)
    } else {
        Err(e)
    }
}

/// Works one record on the worker, giving it up (and starting a new worker) when it takes
/// longer than the cap.
fn one_record(worker: &mut Worker, work: &Work, text: &str, caps: &Caps) -> Outcome {
    if worker.jobs.send(text.to_string()).is_err() {
        *worker = Worker::start(work);
        return Err("internal error: the worker had stopped".into());
    }
    match worker.done.recv_timeout(caps.max_record_time) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => {
            *worker = Worker::start(work);
            Err(format!(
                "record took longer than the limit of {} ms",
                caps.max_record_time.as_millis()
            ))
        }
        Err(RecvTimeoutError::Disconnected) => {
            *worker = Worker::start(work);
            Err("internal error: the worker stopped".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo() -> Work {
        Arc::new(|line: &str| {
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            match v["id"].as_str() {
                Some("slow") => std::thread::sleep(Duration::from_millis(400)),
                Some("panic") => panic!("boom"),
                _ => {}
            }
            Ok(vec![serde_json::json!({"seen": v["id"]}).to_string()])
        })
    }

    fn stream(input: &[u8], caps: Caps) -> (Summary, Vec<serde_json::Value>) {
        let mut out = Vec::new();
        let summary = run(input, &mut out, &caps, "test", echo()).unwrap();
        let rows = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (summary, rows)
    }

    #[test]
    fn every_bad_line_is_a_row_and_the_stream_goes_on() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"a\"}\n");
        input.extend_from_slice(b"{\"id\":\"b\", broken\n");
        input.extend_from_slice(b"\n");
        input.extend_from_slice(b"{\"id\":\"\xff\xfe\"}\n");
        input.extend_from_slice(format!("{{\"id\":\"{}\"}}\n", "x".repeat(200)).as_bytes());
        input.extend_from_slice(b"{\"id\":\"panic\"}\n");
        input.extend_from_slice(b"{\"error\":\"earlier\",\"stage\":\"fetcher\"}\n");
        input.extend_from_slice(b"{\"id\":\"z\"}");
        let caps = Caps {
            max_record_bytes: 100,
            ..Caps::default()
        };
        let (summary, rows) = stream(&input, caps);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| match r.get("error") {
                Some(e) => format!("line {} error {}", r["line"], e.as_str().unwrap()),
                None => format!("seen {}", r["seen"]),
            })
            .collect();
        expect_test::expect![[r#"
            [
                "seen \"a\"",
                "line 2 error key must be a string at line 1 column 12",
                "line 4 error not valid UTF-8 (invalid byte at offset 7)",
                "line 5 error record of 209 bytes is larger than the limit of 100 bytes",
                "line 6 error internal error: boom",
                "line null error earlier",
                "seen \"z\"",
            ]
        "#]]
        .assert_debug_eq(&shown);
        assert_eq!(rows[4]["id"], "panic");
        assert_eq!(
            summary,
            Summary {
                records: 7,
                rows: 7,
                failed: 4,
                passed: 1,
            }
        );
    }

    #[test]
    fn a_slow_record_is_given_up_and_the_next_ones_are_worked() {
        let caps = Caps {
            max_record_time: Duration::from_millis(50),
            ..Caps::default()
        };
        let (summary, rows) = stream(b"{\"id\":\"slow\"}\n{\"id\":\"b\"}\n", caps);
        assert_eq!(rows[0]["id"], "slow");
        assert_eq!(
            rows[0]["error"],
            "record took longer than the limit of 50 ms"
        );
        assert_eq!(rows[1]["seen"], "b");
        assert_eq!(summary.failed, 1);
    }

    #[test]
    fn long_lines_are_skipped_across_buffer_fills() {
        let long = format!("{{\"id\":\"{}\"}}\n{{\"id\":\"c\"}}\n", "y".repeat(20_000));
        let input = io::BufReader::with_capacity(64, long.as_bytes());
        let mut out = Vec::new();
        let caps = Caps {
            max_record_bytes: 1000,
            ..Caps::default()
        };
        let summary = run(input, &mut out, &caps, "test", echo()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines().next().unwrap().contains("20009 bytes"),
            "{text}"
        );
        assert!(text.lines().nth(1).unwrap().contains("\"c\""), "{text}");
        assert_eq!(summary.failed, 1);
    }
}
