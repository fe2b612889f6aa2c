//! The `fetcher` binary as cron runs it: exit codes, `--summary-json`, `--max-runtime`, and a
//! run killed with SIGKILL and started again.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::*;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_fetcher");

fn fetcher(corpus: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(corpus.with_extension("toml"));
    cmd.args(args).stdin(Stdio::null());
    cmd
}

async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn setup(config: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::write(
        corpus.with_extension("toml"),
        format!("[fetcher]\n{config}"),
    )
    .unwrap();
    (dir, corpus)
}

fn read_summary(json: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap()
}

async fn site(pages: usize, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    let urls: String = (0..pages)
        .map(|i| format!("<url><loc>{}/p/{i}</loc></url>", server.uri()))
        .collect();
    Mock::given(method("GET"))
        .and(path("/sitemap.xml"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(format!("<urlset>{urls}</urlset>")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/p/"))
        .respond_with(Timed::new(delay))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_configured_is_a_quiet_success() {
    let (_dir, corpus) = setup("");
    let out = output(fetcher(&corpus, &[])).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to do"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_exit_1_and_the_summary_json_names_them() {
    let server = MockServer::start().await;
    mount(&server, "/ok", html(page("ok", "fine"))).await;
    let (dir, corpus) = setup("host_delay = 0\n");
    let json = dir.path().join("summary.json");
    let ok = format!("{}/ok", server.uri());
    let missing = format!("{}/missing", server.uri());
    let out = output(fetcher(
        &corpus,
        &[
            "--url",
            &ok,
            "--url",
            &missing,
            "--summary-json",
            json.to_str().unwrap(),
        ],
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 new") && stderr.contains("1 failed"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{missing}: HTTP 404")), "{stderr}");
    let summary = read_summary(&json);
    assert_eq!(summary["totals"]["new"], 1);
    assert_eq!(summary["totals"]["failed"], 1);
    let host = ok.trim_start_matches("http://").trim_end_matches("/ok");
    assert_eq!(summary["hosts"][host]["failed"], 1);
    assert_eq!(summary["failures"][0]["reason"], "http_404");
}

/// The bad input a fetch meets on the web: a host that does not answer and a feed that is not
/// a feed. Each is named with its URL, the rest is fetched, and the exit code is 1.
#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_host_and_a_malformed_feed_are_named_and_the_rest_fetched() {
    let server = MockServer::start().await;
    mount(&server, "/ok", html(page("ok", "fine"))).await;
    let not_a_feed = b"<html><p>this is not a feed</p></html>";
    let response = ResponseTemplate::new(200).set_body_raw(&not_a_feed[..], "application/xml");
    mount(&server, "/feed.xml", response).await;
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let unreachable = format!("http://{}/x", closed.local_addr().unwrap());
    drop(closed);
    let (dir, corpus) = setup("host_delay = 0\nretries = 1\nretry_base_delay = 0.05\n");
    let json = dir.path().join("summary.json");
    let ok = format!("{}/ok", server.uri());
    let feed = format!("{}/feed.xml", server.uri());
    let out = output(fetcher(
        &corpus,
        &[
            "--url",
            &unreachable,
            "--feed",
            &feed,
            "--url",
            &ok,
            "--summary-json",
            json.to_str().unwrap(),
        ],
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&unreachable), "{stderr}");
    assert!(stderr.contains(&feed), "{stderr}");
    let summary = read_summary(&json);
    assert_eq!(summary["totals"]["new"], 1, "{summary}");
    let store = corpus::Corpus::open(&corpus).unwrap();
    assert_eq!(store.raw_ids().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_errors_exit_2_before_anything_is_done() {
    let (_dir, corpus) = setup("host_dealy = 1.0\n");
    let out = output(fetcher(&corpus, &["--url", "http://127.0.0.1:9/x"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("host_dealy"));
    let (_dir, corpus) = setup("");
    let out = output(fetcher(&corpus, &["--host-delay", "-1"])).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn max_runtime_stops_new_requests_and_still_writes_the_summary() {
    // 60 pages of 250 ms each, one at a time: at least 15 s of work, cut at 3 s. The limit
    // counts from the start of the process, so it leaves room for a slow start on a loaded
    // machine to still reach the pages.
    let pages = 60;
    let server = site(pages, Duration::from_millis(250)).await;
    let (dir, corpus) = setup("allow_private_networks = true\nhost_delay = 0\n");
    let json = dir.path().join("summary.json");
    let started = Instant::now();
    let sitemap = format!("{}/sitemap.xml", server.uri());
    let out = output(fetcher(
        &corpus,
        &[
            "--sitemap",
            &sitemap,
            "--max-runtime",
            "3",
            "--summary-json",
            json.to_str().unwrap(),
        ],
    ))
    .await;
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(3), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(12), "{elapsed:?}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = read_summary(&json);
    assert_eq!(summary["stopped_early"], true);
    let new = summary["totals"]["new"].as_u64().unwrap();
    let stopped = summary["totals"]["out_of_time"].as_u64().unwrap();
    assert!((1..pages as u64).contains(&new), "{summary}");
    assert_eq!(new + stopped, pages as u64);
    let requested = paths(&server)
        .await
        .iter()
        .filter(|p| p.starts_with("/p/"))
        .count() as u64;
    assert_eq!(
        requested, new,
        "every request started was finished and stored"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_mid_run_and_restarted_it_loses_and_duplicates_nothing() {
    let server = site(30, Duration::from_millis(100)).await;
    let (_dir, corpus) = setup("allow_private_networks = true\nhost_delay = 0\n");
    let sitemap = format!("{}/sitemap.xml", server.uri());
    let mut child = fetcher(&corpus, &["--sitemap", &sitemap, "-q"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let raw = corpus.join("raw");
    let count_raw = |dir: &Path| {
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| {
                        e.file_name().to_string_lossy().ends_with(".json")
                            && !e.file_name().to_string_lossy().starts_with('.')
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while count_raw(&raw) < 8 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = count_raw(&raw);
    assert!((8..30).contains(&before), "killed after {before} articles");

    let out = output(fetcher(&corpus, &["--sitemap", &sitemap])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(count_raw(&raw), 30, "{stderr}");
    assert!(
        !corpus.join("history").exists(),
        "no article got a second version: {stderr}"
    );
    assert!(!stderr.contains("updated"), "{stderr}");
    let store = corpus::Corpus::open(&corpus).unwrap();
    for id in store.raw_ids().unwrap() {
        store.read_raw(&id).unwrap();
    }
    let state: fetcher::state::FetchState = store.read_state("fetcher").unwrap().unwrap();
    assert_eq!(state.urls.len(), 30);
}
