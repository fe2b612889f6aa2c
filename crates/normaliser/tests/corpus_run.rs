//! The corpus run (`normaliser --corpus DIR`): incremental and idempotent, copy groups kept
//! up to date without comparing the whole corpus again, bad records named while the rest go
//! on, derived records of deleted articles removed; and `normaliser explain`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::time::SystemTime;

use corpus::{ArticleId, Corpus, NormalisedDoc, Origin, RawArticle, RawFormat};
use normaliser::{Normaliser, RunSummary, run};

/// A wire story of about 300 words; `variant` changes nothing of it.
fn wire_story() -> String {
    let paragraphs = [
        "A powerful earthquake struck the mountainous north of the country early on Sunday, killing at least 43 people and injuring more than 300, officials said, as rescuers dug through collapsed homes in search of survivors.",
        "The magnitude 6.4 quake hit at 4:10 a.m. local time at a depth of about 10 kilometres, according to the national seismological agency. Several strong aftershocks followed during the morning.",
        "Most of the victims were in three villages close to the epicentre, where traditional houses of stone and mud brick gave way while families slept, the regional governor told reporters at the scene.",
        "Army units and volunteers joined the search, and the health ministry said hospitals in the provincial capital had taken in more than 120 of the injured, some of them in a critical condition.",
        "Roads into the valley were blocked by landslides, and helicopters were used to carry tents, blankets and medical supplies to the worst-hit areas, the interior ministry said in a statement.",
        "The prime minister declared three days of national mourning and promised that the government would pay to rebuild every house that had been destroyed or damaged beyond repair.",
    ];
    paragraphs.join("\n\n")
}

fn unrelated_story() -> String {
    [
        "Floodwaters receded on Thursday in the river delta after a week of heavy rain that forced some 20,000 people from their homes, the disaster management office said in its latest report.",
        "Farmers returning to their fields found crops ruined and livestock drowned, and local officials warned that the damage to irrigation canals would take months to repair before the next planting season.",
        "The office said six people had died since the rains began, most of them swept away while trying to cross swollen streams, and that two fishermen were still missing off the coast.",
        "Aid agencies appealed for funds to supply clean water, warning of the risk of disease in crowded shelters where families had been living in schools and mosques for several days.",
    ]
    .join("\n\n")
}

fn text_article(id: &str, body: &str) -> RawArticle {
    RawArticle::new(
        ArticleId::new(id).unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        body.to_string(),
    )
}

fn corpus_with(articles: &[(&str, String)]) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    for (id, body) in articles {
        corpus.write_raw(&text_article(id, body)).unwrap();
    }
    (dir, corpus)
}

fn doc(corpus: &Corpus, id: &str) -> NormalisedDoc {
    corpus
        .read_normalised(&ArticleId::new(id).unwrap())
        .unwrap()
        .unwrap()
}

fn group(corpus: &Corpus, id: &str) -> Option<String> {
    doc(corpus, id).copy_group
}

/// Every file under the corpus with its modification time.
fn modification_times(root: &Path) -> BTreeMap<String, SystemTime> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let time = std::fs::metadata(&path).unwrap().modified().unwrap();
                out.insert(path.display().to_string(), time);
            }
        }
    }
    out
}

fn summary(normalised: usize, unchanged: usize) -> RunSummary {
    RunSummary {
        normalised,
        unchanged,
        ..RunSummary::default()
    }
}

#[test]
fn wire_copies_share_a_group_and_a_second_run_writes_nothing() {
    let wire = wire_story();
    let (dir, corpus) = corpus_with(&[
        (
            "b-outlet",
            format!("Quake kills 43\n\n{wire}\n\nAdvertisement"),
        ),
        (
            "a-outlet",
            format!(
                "(Reuters) - {}",
                wire.split("\n\n").take(4).collect::<Vec<_>>().join("\n\n")
            ),
        ),
        ("c-outlet", unrelated_story()),
    ]);
    let normaliser = Normaliser::builtin();
    let first = run(&corpus, &normaliser).unwrap();
    assert_eq!(first.normalised, 3);
    assert_eq!(first.failed, 0);
    assert_eq!(group(&corpus, "a-outlet").as_deref(), Some("a-outlet"));
    assert_eq!(group(&corpus, "b-outlet").as_deref(), Some("a-outlet"));
    assert_eq!(group(&corpus, "c-outlet"), None);

    let before = modification_times(dir.path());
    let second = run(&corpus, &normaliser).unwrap();
    assert_eq!(second, summary(0, 3));
    assert!(second.nothing_to_do());
    assert_eq!(
        before,
        modification_times(dir.path()),
        "an idle run rewrote files"
    );
}

#[test]
fn a_new_copy_joins_the_group_and_only_changed_records_are_rewritten() {
    let wire = wire_story();
    let (dir, corpus) = corpus_with(&[("m-first", wire.clone()), ("z-other", unrelated_story())]);
    let normaliser = Normaliser::builtin();
    run(&corpus, &normaliser).unwrap();
    assert_eq!(group(&corpus, "m-first"), None);
    let other_path = corpus.normalised_path(&ArticleId::new("z-other").unwrap());
    let other_time = std::fs::metadata(&other_path).unwrap().modified().unwrap();

    // A later copy with a smaller id: the group is named after it, and the first article's
    // record is rewritten for its new group, the unrelated one not at all.
    corpus
        .write_raw(&text_article(
            "d-copy",
            &format!("{wire}\n\nShare this article"),
        ))
        .unwrap();
    let summary = run(&corpus, &normaliser).unwrap();
    assert_eq!(summary.normalised, 1);
    assert_eq!(summary.regrouped, 1);
    assert_eq!(group(&corpus, "m-first").as_deref(), Some("d-copy"));
    assert_eq!(group(&corpus, "d-copy").as_deref(), Some("d-copy"));
    assert_eq!(
        std::fs::metadata(&other_path).unwrap().modified().unwrap(),
        other_time
    );

    // The copy is deleted: its records go, and the first article is alone again.
    std::fs::remove_file(corpus.raw_path(&ArticleId::new("d-copy").unwrap())).unwrap();
    let summary = run(&corpus, &normaliser).unwrap();
    assert_eq!(summary.removed_stale, 1);
    assert_eq!(summary.regrouped, 1);
    assert!(
        corpus
            .read_normalised(&ArticleId::new("d-copy").unwrap())
            .unwrap()
            .is_none()
    );
    assert_eq!(group(&corpus, "m-first"), None);
    let _ = dir;
}

/// The normaliser's rows of the store (its article entries and settings), as stored.
fn state_rows(corpus: &Corpus) -> std::collections::BTreeMap<String, String> {
    let store = corpus.store().unwrap();
    let mut rows = store.dump().unwrap();
    rows.retain(|key, _| key.starts_with("normaliser/") || key == "state/normaliser");
    rows
}

/// The store removed, as a lost state.
fn lose_store(corpus: &Corpus) {
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", corpus.store_path().display());
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn a_lost_state_is_rebuilt_from_the_records_without_rewriting_them() {
    let wire = wire_story();
    let (dir, corpus) = corpus_with(&[("a", wire.clone()), ("b", wire), ("c", unrelated_story())]);
    let normaliser = Normaliser::builtin();
    run(&corpus, &normaliser).unwrap();
    let rows = state_rows(&corpus);
    assert_eq!(rows.len(), 4, "{rows:?}");
    lose_store(&corpus);
    let docs_before: Vec<NormalisedDoc> =
        ["a", "b", "c"].iter().map(|id| doc(&corpus, id)).collect();
    let before = modification_times(&dir.path().join("normalised"));

    let summary = run(&corpus, &normaliser).unwrap();
    assert_eq!(summary, self::summary(0, 3));
    assert_eq!(before, modification_times(&dir.path().join("normalised")));
    let without_stamps = |rows: std::collections::BTreeMap<String, String>| {
        rows.into_iter()
            .map(|(k, v)| {
                let mut v: serde_json::Value = serde_json::from_str(&v).unwrap();
                if let Some(o) = v.as_object_mut() {
                    o.remove("record");
                    o.remove("raw");
                }
                (k, v)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without_stamps(state_rows(&corpus)),
        without_stamps(rows.clone())
    );
    let docs_after: Vec<NormalisedDoc> =
        ["a", "b", "c"].iter().map(|id| doc(&corpus, id)).collect();
    assert_eq!(docs_before, docs_after);

    // A store that is not one is set aside: the same as a lost state.
    lose_store(&corpus);
    std::fs::write(corpus.store_path(), vec![b'x'; 4096]).unwrap();
    assert_eq!(run(&corpus, &normaliser).unwrap(), self::summary(0, 3));
    assert_eq!(without_stamps(state_rows(&corpus)), without_stamps(rows));
}

#[test]
fn corrupt_or_non_utf8_raw_records_are_named_and_the_rest_are_normalised() {
    let (dir, corpus) = corpus_with(&[("good", unrelated_story())]);
    std::fs::write(
        dir.path().join("raw/broken.json"),
        "{\"schema\": 1, \"id\": ",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("raw/latin.json"),
        b"{\"schema\": 1, \"body\": \"Caf\xe9\"}",
    )
    .unwrap();
    let out = normaliser_command(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for name in ["broken.json", "latin.json"] {
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
    }
    assert!(doc(&corpus, "good").blocks.len() >= 4);

    // Nothing new: said so, and exit 1 again for the record that is still broken.
    let out = normaliser_command(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("0 normalised, 1 unchanged"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_idle_run_says_so() {
    let (dir, _corpus) = corpus_with(&[("one", unrelated_story())]);
    assert_eq!(normaliser_command(dir.path(), &[]).status.code(), Some(0));
    let out = normaliser_command(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("nothing to do: no file written"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_changed_rules_file_normalises_everything_again() {
    let (dir, corpus) = corpus_with(&[("one", format!("{}\n\nAdvertisement", unrelated_story()))]);
    assert_eq!(run(&corpus, &Normaliser::builtin()).unwrap().normalised, 1);
    assert_eq!(doc(&corpus, "one").removed.len(), 1);
    let bare = Normaliser::new("").unwrap();
    assert_eq!(run(&corpus, &bare).unwrap().normalised, 1);
    assert!(doc(&corpus, "one").removed.is_empty());
    assert_eq!(run(&corpus, &bare).unwrap(), summary(0, 1));
    let _ = dir;
}

#[test]
fn explain_shows_kept_text_removals_in_place_and_the_copy_group() {
    let wire = wire_story();
    let (dir, _corpus) = corpus_with(&[
        (
            "x1",
            format!("Quake kills 43\n\nBy JANE DOE, Associated Press\n\n{wire}\n\nAdvertisement"),
        ),
        ("x2", wire),
    ]);
    // Before the corpus run: normalised on the fly, and said so.
    let out = normaliser_command(dir.path(), &["explain", "x1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("not stored yet"), "{text}");

    assert_eq!(normaliser_command(dir.path(), &[]).status.code(), Some(0));
    let out = normaliser_command(dir.path(), &["explain", "x1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("no line starting {needle:?} in\n{text}"))
    };
    assert!(text.contains("copy group: x1 (with x2)"), "{text}");
    assert!(text.contains("record: stored"), "{text}");
    assert!(at("= title: Quake kills 43") < at("- byline: By JANE DOE, Associated Press"));
    assert!(at("- byline:") < at("= paragraph: A powerful earthquake"));
    assert!(at("= paragraph: The prime minister") < at("- advertisement: Advertisement"));

    let out = normaliser_command(dir.path(), &["explain", "--removed-only", "x1", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("- advertisement: Advertisement"));
    assert!(!text.contains("= paragraph:"));
}

#[test]
fn odd_text_inputs_are_normalised_sensibly() {
    let normaliser = Normaliser::builtin();
    let normalise = |body: &str| normaliser.normalise(&text_article("odd", body));

    // Only boilerplate: nothing kept, everything accounted for.
    let doc = normalise("Advertisement\n\nShare this article\n\nSign up for our newsletter\n");
    assert!(doc.blocks.is_empty());
    assert_eq!(doc.removed.len(), 3);

    // CRLF and no blank lines: one block per line, no stray carriage returns.
    let doc = normalise(
        "Blast kills 9\r\nNine people died in the blast.\r\nPolice are investigating.\r\n",
    );
    assert_eq!(doc.blocks.len(), 3);
    assert!(doc.blocks.iter().all(|b| !b.text.contains('\r')));

    // Empty and white space only.
    assert!(normalise("").blocks.is_empty());
    assert!(normalise(" \n\t\r\n ").blocks.is_empty());

    // A huge file: every paragraph kept, sentences found in each.
    let body = (0..40_000)
        .map(|i| {
            format!(
                "{}. {}.",
                pseudo_sentence(2 * i),
                pseudo_sentence(2 * i + 1)
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    assert!(body.len() > 3_000_000);
    let doc = normalise(&body);
    assert_eq!(doc.blocks.len(), 40_000);
    assert!(doc.blocks.iter().all(|b| b.sentences.len() == 2));
    assert!(doc.removed.is_empty());

    // A huge single line without spaces: one block, one sentence, no blow-up.
    let doc = normalise(&"x.".repeat(1_000_000));
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].sentences.len(), 1);
}

/// A capitalised sentence of twelve made-up words (two syllables each) drawn by `seed`.
fn pseudo_sentence(seed: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "ga", "hu", "ze", "ti", "bo",
        "fa", "ni", "re", "su", "ya",
    ];
    let mut x = seed as u64 ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        SYLLABLES[(x >> 33) as usize % SYLLABLES.len()]
    };
    let words: Vec<String> = (0..12).map(|_| format!("{}{}", next(), next())).collect();
    let sentence = words.join(" ");
    let mut chars = sentence.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn normaliser_command(corpus: &Path, args: &[&str]) -> Output {
    // Run from the corpus folder, where there is no config/crosscheck.toml: built-in defaults.
    Command::new(env!("CARGO_BIN_EXE_normaliser"))
        .current_dir(corpus)
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_first_run_larger_than_a_batch_groups_every_copy() {
    // More new articles than wait in memory at once: every tenth is a copy of the one
    // before, some of them across a batch boundary; one late copy joins the first article.
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    let story = |i: usize| {
        (0..6)
            .map(|s| format!("{}.", pseudo_sentence(i * 10 + s)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let total = 540;
    let late = total - 1;
    for i in 0..total {
        let body = match i {
            _ if i == late => story(0),
            _ if i % 10 == 9 => story(i - 1),
            _ => story(i),
        };
        corpus
            .write_raw(&text_article(&format!("a{i:04}"), &body))
            .unwrap();
    }
    let summary = run(&corpus, &Normaliser::builtin()).unwrap();
    assert_eq!(summary.normalised, total);
    assert!(summary.regrouped <= 1, "{summary:?}");
    for i in (9..total).step_by(10).filter(|&i| i != late) {
        let original = format!("a{:04}", i - 1);
        assert_eq!(group(&corpus, &format!("a{i:04}")), Some(original.clone()));
        assert_eq!(group(&corpus, &original), Some(original));
    }
    assert_eq!(
        group(&corpus, &format!("a{late:04}")).as_deref(),
        Some("a0000")
    );
    assert_eq!(group(&corpus, "a0000").as_deref(), Some("a0000"));
    assert_eq!(group(&corpus, "a0001"), None);
}

/// How many copy links the state keeps, counted over every list in its article rows
/// (whatever the field is called), and the rows' size in bytes.
fn stored_links(corpus: &Corpus) -> (usize, u64) {
    let mut links = 0;
    let mut bytes = 0;
    for (key, row) in state_rows(corpus) {
        bytes += (key.len() + row.len()) as u64;
        let entry: serde_json::Value = serde_json::from_str(&row).unwrap();
        links += entry
            .as_object()
            .unwrap()
            .values()
            .filter_map(|field| field.as_array())
            .map(Vec::len)
            .sum::<usize>();
    }
    (links, bytes)
}

#[test]
fn a_wire_story_run_everywhere_keeps_a_state_linear_in_its_copies() {
    // One story run by 300 outlets, each with its own dateline and sign-off: one group, and
    // the state keeps one link per copy (not one per pair: 44,850 for 300 copies).
    let wire = wire_story();
    let copies = 300;
    let articles: Vec<(String, String)> = (0..copies)
        .map(|k| {
            (
                format!("w{k:04}"),
                format!("CITY {k} (Outlet {k}) -\n\n{wire}\n\nReporting by desk {k}"),
            )
        })
        .collect();
    let refs: Vec<(&str, String)> = articles
        .iter()
        .map(|(id, body)| (id.as_str(), body.clone()))
        .collect();
    let (dir, corpus) = corpus_with(&refs);
    let normaliser = Normaliser::builtin();
    assert_eq!(run(&corpus, &normaliser).unwrap().normalised, copies);
    let (links, bytes) = stored_links(&corpus);
    assert_eq!(links, copies - 1);
    assert!(bytes < copies as u64 * 1_000, "{bytes} bytes of state");
    assert!((0..copies).all(|k| group(&corpus, &format!("w{k:04}")).as_deref() == Some("w0000")));

    // The article every other copy linked to goes: the rest stay one group, renamed, and
    // still keep one link per copy.
    std::fs::remove_file(corpus.raw_path(&ArticleId::new("w0000").unwrap())).unwrap();
    let summary = run(&corpus, &normaliser).unwrap();
    assert_eq!(summary.removed_stale, 1);
    assert_eq!(summary.regrouped, copies - 1);
    assert!((1..copies).all(|k| group(&corpus, &format!("w{k:04}")).as_deref() == Some("w0001")));
    assert_eq!(stored_links(&corpus).0, copies - 2);
    let _ = dir;
}

/// Issue 14, finding 2: a record whose write failed (a full disk) is not taken as current:
/// once there is room again, the next run makes it.
#[test]
fn a_record_whose_write_failed_is_made_by_the_next_run() {
    let (dir, corpus) = corpus_with(&[("a", wire_story()), ("b", unrelated_story())]);
    let normaliser = Normaliser::builtin();
    run(&corpus, &normaliser).unwrap();
    let changed = text_article("a", &format!("{}\n\nA new last paragraph.", wire_story()));
    corpus.write_raw(&changed).unwrap();
    {
        // The first write of the run (the record of `a`) fails.
        let _full = corpus::faults::arm(dir.path(), corpus::faults::Fault::FailAt(0));
        let failed = run(&corpus, &normaliser).unwrap();
        assert_eq!(failed.failed, 1, "{failed:?}");
    }
    let again = run(&corpus, &normaliser).unwrap();
    assert_eq!((again.normalised, again.failed), (1, 0), "{again:?}");
    assert_eq!(doc(&corpus, "a").input_sha256, changed.body_sha256);
}

/// Issue 14, finding 3: the stamp names the code that shapes the records, so a release whose
/// extraction changed normalises every article again, and the same code does not.
#[test]
fn a_new_code_stamp_normalises_again_and_the_same_one_does_not() {
    let (_dir, corpus) = corpus_with(&[("a", wire_story()), ("b", unrelated_story())]);
    assert_eq!(normaliser::CODE.len(), 16, "{}", normaliser::CODE);
    assert_eq!(run(&corpus, &Normaliser::builtin()).unwrap().normalised, 2);
    let same = run(&corpus, &Normaliser::builtin()).unwrap();
    assert_eq!((same.normalised, same.unchanged), (0, 2));
    let release = Normaliser::builtin().with_code("another build");
    assert_ne!(release.stamp(), Normaliser::builtin().stamp());
    assert_eq!(run(&corpus, &release).unwrap().normalised, 2);
    assert_eq!(doc(&corpus, "a").normaliser, release.stamp());
    assert_eq!(run(&corpus, &release).unwrap().normalised, 0);
}

/// Issue 14, finding 5: a damaged normalised record (cut short, overwritten) is made again
/// from its raw article by the next run, not left for the analyser to fail on for ever.
#[test]
fn a_damaged_record_is_made_again_from_its_article() {
    let (_dir, corpus) = corpus_with(&[("a", wire_story()), ("b", unrelated_story())]);
    let normaliser = Normaliser::builtin();
    run(&corpus, &normaliser).unwrap();
    let path = corpus.normalised_path(&ArticleId::new("a").unwrap());
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let repaired = run(&corpus, &normaliser).unwrap();
    assert_eq!(
        (repaired.normalised, repaired.failed),
        (1, 0),
        "{repaired:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), whole);
    let idle = run(&corpus, &normaliser).unwrap();
    assert!(idle.nothing_to_do(), "{idle:?}");
}

/// Issue 16: a run reads an article's raw record only when its file is not the one its
/// record was made from (by its stamp: size, time, file number). Garbage put in place of a
/// raw record with the same size and time is not read; a raw record rewritten is.
#[test]
fn an_unchanged_raw_record_is_not_read_again() {
    let (_dir, corpus) = corpus_with(&[("a", wire_story()), ("b", unrelated_story())]);
    let normaliser = Normaliser::builtin();
    run(&corpus, &normaliser).unwrap();
    let path = corpus.raw_path(&ArticleId::new("a").unwrap());
    let whole = std::fs::read(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, vec![b'x'; whole.len()]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let idle = run(&corpus, &normaliser).unwrap();
    assert!(idle.nothing_to_do() && idle.failed == 0, "{idle:?}");
    // Rewritten (a new file in its place): read, and named when it cannot be.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, vec![b'x'; whole.len()]).unwrap();
    let read = run(&corpus, &normaliser).unwrap();
    assert_eq!(read.failed, 1, "{read:?}");
    std::fs::write(&path, &whole).unwrap();
    let again = run(&corpus, &normaliser).unwrap();
    assert_eq!((again.normalised, again.failed), (0, 0), "{again:?}");
}
