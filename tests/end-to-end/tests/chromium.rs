//! The report as a browser shows it: headless Chromium renders `report/index.html` of the
//! seed corpus (plus an article full of markup), its list made by its script, and each event's
//! page it links to, to DOM dumps and a screenshot. Skipped, with
//! a message, when Chromium is not installed locally; CI installs it (`.ci/run`) and fails
//! without it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join(name)
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

fn stage(name: &str, corpus: &Path, args: &[&str]) {
    let out = Command::new(binary(name))
        .arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(workspace().join("config/crosscheck.toml"))
        .arg("-q")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs Chromium headless with a deadline; returns its standard output.
fn run_chromium(chromium: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chromium did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// The share of pixels that differ from the page background (the top-left pixel).
fn ink(png_path: &Path) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let background = pixels[0];
    let inked = pixels.iter().filter(|p| p[..3] != background[..3]).count();
    (info.width, info.height, inked as f64 / pixels.len() as f64)
}

#[test]
fn the_report_page_renders_in_chromium_with_the_figures_and_no_injected_markup() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing in CI: .ci/run installs it"
        );
        eprintln!(
            "SKIPPED: chromium is not installed (apt-get install chromium); the page was not rendered"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let imports = dir.path().join("imports");
    std::fs::create_dir_all(&imports).unwrap();
    std::fs::write(
        imports.join("hostile.txt"),
        " date 2024-01-02\nAt least 7 people were killed <script>document.title='owned'</script> \"><img src=x onerror=alert(2)> in the blast, officials said.\n",
    )
    .unwrap();
    // The seed corpus is stored as raw records: copy them as they are, then import one more.
    std::fs::create_dir_all(corpus.join("raw")).unwrap();
    for entry in std::fs::read_dir(workspace().join("corpus/raw")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join("raw").join(entry.file_name())).unwrap();
    }
    stage("fetcher", &corpus, &["--import", imports.to_str().unwrap()]);
    stage("normaliser", &corpus, &[]);
    stage("analyser", &corpus, &[]);
    // The list of events: every event, its link, what changed; the data files' text shown
    // as text by the list's script.
    let index = corpus.join("report/index.html");
    let dom = dump_dom(&chromium, dir.path(), "index", &index);
    assert!(dom.contains("What changed"));
    assert!(
        dom.contains("<title>Crosscheck: who reports what</title>"),
        "a script ran and changed the title"
    );
    assert!(
        dom.contains("events, newest first"),
        "the list's script did not run"
    );
    let links: Vec<&str> = dom
        .split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("events/"))
        .collect();
    assert!(links.len() >= 2, "the list links no event pages: {dom}");
    assert!(
        !dom.contains("<img"),
        "an <img> element was injected into the list"
    );

    // Each event's page: the charts and values, the hostile article's markup as text.
    let mut pages = String::new();
    for href in &links {
        let page = corpus.join("report").join(href);
        assert!(page.is_file(), "{href} is linked but missing");
        pages.push_str(&dump_dom(&chromium, dir.path(), "event", &page));
    }
    assert!(
        pages.contains("<svg class=\"chart\""),
        "no chart in the DOM"
    );
    assert!(pages.contains("<g class=\"mark "), "no marks in the charts");
    for value in ["18", "21", "at least 7"] {
        assert!(
            pages.contains(&format!(
                "<td class=\"value\" data-label=\"Value\">{value}</td>"
            )),
            "the DOM lacks the value {value}"
        );
    }
    // Markup from the article is text: no element was made from it, no script ran.
    assert!(!pages.contains("<img"), "an <img> element was injected");
    assert!(pages.contains("&lt;script&gt;document.title="));
    assert!(pages.contains("\"&gt;&lt;img src=x onerror=alert(2)&gt;"));

    // The page with the seeds' figures, as a browser draws it: not blank.
    let seeds = links
        .iter()
        .map(|href| corpus.join("report").join(href))
        .find(|p| std::fs::read_to_string(p).unwrap().contains(">21</td>"))
        .expect("a page with the seeds' figures");
    let url = format!("file://{}", seeds.canonicalize().unwrap().display());
    let shot = dir.path().join("page.png");
    run_chromium(
        &chromium,
        &dir.path().join("profile-shot"),
        &[
            "--window-size=1280,2400".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    if let Some(keep) = std::env::var_os("CROSSCHECK_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
    let (width, height, inked) = ink(&shot);
    assert_eq!((width, height), (1280, 2400));
    assert!(
        inked > 0.02,
        "the screenshot is blank ({:.2}% inked)",
        inked * 100.0
    );
}

/// The DOM of a page once Chromium has loaded it (its scripts run).
fn dump_dom(chromium: &Path, dir: &Path, profile: &str, page: &Path) -> String {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    run_chromium(
        chromium,
        &dir.join(format!("profile-{profile}")),
        &["--dump-dom".into(), url],
    )
}
