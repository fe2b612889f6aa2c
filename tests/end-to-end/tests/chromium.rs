//! The report page as a browser shows it: headless Chromium renders `report/index.html` of the
//! seed corpus (plus an article full of markup) to a screenshot and a DOM dump. Skipped, with
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
    let page = corpus.join("report/index.html");
    let url = format!("file://{}", page.canonicalize().unwrap().display());

    let shot = dir.path().join("page.png");
    run_chromium(
        &chromium,
        &dir.path().join("profile-shot"),
        &[
            "--window-size=1280,2400".into(),
            format!("--screenshot={}", shot.display()),
            url.clone(),
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

    let dom = run_chromium(
        &chromium,
        &dir.path().join("profile-dom"),
        &["--dump-dom".into(), url],
    );
    assert!(dom.contains("<svg class=\"chart\""), "no chart in the DOM");
    assert!(dom.contains("<g class=\"mark "), "no marks in the charts");
    for value in ["18", "21", "at least 7"] {
        assert!(
            dom.contains(&format!(
                "<td class=\"value\" data-label=\"Value\">{value}</td>"
            )),
            "the DOM lacks the value {value}"
        );
    }
    assert!(dom.contains("What changed"));
    // Markup from the article is text: no element was made from it, no script ran.
    assert!(!dom.contains("<img"), "an <img> element was injected");
    assert!(
        dom.contains("<title>Crosscheck: who reports what</title>"),
        "a script ran and changed the title"
    );
    assert!(dom.contains("&lt;script&gt;document.title="));
    assert!(dom.contains("\"&gt;&lt;img src=x onerror=alert(2)&gt;"));
}
