use corpus::{AuthorityKind, ChangeKind, EventReport, FigureStatus, Qualifier::*};
use expect_test::{Expect, expect};

use super::*;
use crate::fixtures::{Article, article, assignment, inputs};

fn build_events(articles: &[Article], labels: &[&str]) -> Vec<EventReport> {
    build(
        &inputs(articles),
        &assignment(articles, labels),
        &Rules::builtin(),
    )
}

/// One line per value: the amount, outlet, date, and how it compares with the reference.
fn listing(e: &EventReport, figure: &str) -> String {
    let f = e.figures.iter().find(|f| f.id == figure).unwrap();
    let mut out = format!(
        "status {:?}, range {:?}, sources {}, latest {:?}, reference {:?}\n",
        f.status,
        f.range.map(|r| (r.min, r.max)),
        f.sources,
        f.latest,
        f.most_direct
    );
    for v in &f.values {
        out.push_str(&format!(
            "{} | {} | {} | {:?}",
            amount(v.count, v.qualifier),
            v.outlet,
            v.published.map(|p| p.to_string()).unwrap_or_default(),
            v.authority.kind
        ));
        if !v.copies.is_empty() {
            out.push_str(&format!(" | copies {:?}", v.copies));
        }
        out.push('\n');
        if let Some(d) = f.divergences.iter().find(|d| d.value == v.key) {
            for r in &d.reasons {
                out.push_str(&format!("    {:?}: {}\n", r.kind, r.text));
            }
        }
    }
    out
}

fn check(articles: &[Article], figure: &str, expect: Expect) {
    let events = build_events(articles, &["Strike"]);
    expect.assert_eq(&listing(&events[0], figure));
}

#[test]
fn each_divergence_from_the_most_direct_authority_has_a_reason() {
    let articles = vec![
        article("a1", "daily.example", Some("2024-03-01")).killed(
            12,
            Exact,
            Some("the health ministry"),
            "The health ministry said 12 people were killed.",
        ),
        article("a2", "wire.example", Some("2024-03-02"))
            .killed(
                19,
                Exact,
                Some("regional officials"),
                "Regional officials said the toll rose to 19.",
            )
            .location("Springfield"),
        article("a3", "herald.example", Some("2024-03-02")).killed(
            15,
            AtLeast,
            Some("The Times"),
            "At least 15 people died, The Times reported.",
        ),
        article("a4", "blog.example", Some("2024-03-02")).killed(
            90,
            Exact,
            None,
            "90 people were killed.",
        ),
        article("a5", "post.example", Some("2024-03-02"))
            .killed(
                17,
                Exact,
                Some("the mayor"),
                "The mayor said 17 people had died.",
            )
            .location("springfield"),
        article("a6", "echo.example", Some("2024-03-02"))
            .copy_group("wire-1")
            .count_in(
                0,
                "killed",
                "people",
                Some(17),
                Exact,
                Some("rescuers"),
                "Rescuers found 17 adults and two children dead.",
                0,
            )
            .noun("adults")
            .count_in(
                0,
                "killed",
                "people",
                Some(19),
                Exact,
                Some("rescuers"),
                "Rescuers found 17 adults and two children dead.",
                0,
            )
            .parts(&[("adults", 17), ("children", 2)])
            .count_in(
                0,
                "killed",
                "children",
                Some(2),
                Exact,
                Some("rescuers"),
                "Rescuers found 17 adults and two children dead.",
                0,
            ),
        article("a7", "mirror.example", Some("2024-03-03"))
            .copy_group("wire-1")
            .count_in(
                0,
                "killed",
                "people",
                Some(17),
                Exact,
                Some("rescuers"),
                "Rescuers found 17 adults and two children dead.",
                0,
            )
            .noun("adults"),
        article("a8", "undated.example", None).killed(
            10,
            Exact,
            Some("officials"),
            "Earlier, officials said 10 people had died.",
        ),
        article("a9", "region.example", Some("2024-03-02"))
            .killed(
                40,
                Exact,
                Some("the governor"),
                "The governor said 40 people died across the region.",
            )
            .location("Springfield region"),
    ];
    check(
        &articles,
        "killed/people",
        expect![[r#"
            status Disagree, range Some((10, 90)), sources 8, latest Some("a2#0"), reference Some("a2#0")
            12 | daily.example | 2024-03-01 | Official
                LaterReport: 12 was published on 2024-03-01, before 19 on 2024-03-02: the toll rose
            19 | wire.example | 2024-03-02 | Official
            at least 15 | herald.example | 2024-03-02 | Media
                LowerBound: at least 15 is a lower bound: 19 is consistent with it
            90 | blog.example | 2024-03-02 | Unattributed
                LikelyError: 90 is given by this source alone, backed by no named authority, far from the 10–40 that named sources give: likely an error
            17 | post.example | 2024-03-02 | Official
                DifferentAuthority: 17 comes from the mayor, 19 from regional officials; both were published on 2024-03-02, so which is later cannot be told
            17 | echo.example | 2024-03-02 | Official | copies [ArticleId("a7")]
                DifferentScope: 17 counts the adults only: the same sentence gives 19 in all, with 2 children
            19 | echo.example | 2024-03-02 | Official
            40 | region.example | 2024-03-02 | Official
                DifferentScope: 40 is about Springfield region; 19 is about Springfield
            10 | undated.example |  | Official
                LaterReport: the article gives 10 as an earlier figure (“earlier”); 19 is the later one
        "#]],
    );
}

#[test]
fn the_reference_is_an_official_over_a_relayed_or_unnamed_source() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02"))
            .killed(
                30,
                Exact,
                Some("New York Times, citing officials"),
                "30 died, the NYT reported citing officials.",
            )
            .chain(&["New York Times", "officials"]),
        article("a2", "two.example", Some("2024-03-02")).killed(
            28,
            Exact,
            Some("the interior ministry"),
            "The interior ministry said 28 died.",
        ),
        article("a3", "three.example", Some("2024-03-03")).killed(
            35,
            Exact,
            Some("witnesses"),
            "Witnesses counted 35 bodies.",
        ),
    ];
    let events = build_events(&articles, &["Strike"]);
    let f = &events[0].figures[0];
    assert_eq!(f.most_direct.as_deref(), Some("a2#0"));
    assert_eq!(f.latest.as_deref(), Some("a3#0"));
    let relayed = f
        .values
        .iter()
        .find(|v| v.article.as_str() == "a1")
        .unwrap();
    assert_eq!(relayed.authority.source.as_deref(), Some("officials"));
    assert_eq!(relayed.authority.kind, AuthorityKind::Official);
    assert_eq!(relayed.authority.relays, 1);
}

#[test]
fn agreeing_and_consistent_figures() {
    let same = vec![
        article("a1", "one.example", Some("2024-03-02")).killed(5, Exact, None, "5 died."),
        article("a2", "two.example", Some("2024-03-02")).killed(
            5,
            AtLeast,
            None,
            "At least 5 died.",
        ),
    ];
    let f = &build_events(&same, &["Strike"])[0].figures[0];
    assert!(f.agree);
    assert_eq!(f.status, FigureStatus::Agree);
    assert!(f.divergences.is_empty());

    let bounds = vec![
        article("a1", "one.example", Some("2024-03-02")).killed(
            50,
            About,
            Some("police"),
            "About 50 died, police said.",
        ),
        article("a2", "two.example", Some("2024-03-02")).killed(
            40,
            MoreThan,
            None,
            "More than 40 died.",
        ),
        article("a3", "three.example", Some("2024-03-02")).killed(53, Exact, None, "53 died."),
    ];
    let f = &build_events(&bounds, &["Strike"])[0].figures[0];
    assert!(!f.agree);
    assert_eq!(f.status, FigureStatus::Consistent, "{f:#?}");
}

#[test]
fn syndicated_copies_count_once() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02"))
            .copy_group("g")
            .killed(5, Exact, None, "5 died."),
        article("a2", "two.example", Some("2024-03-02"))
            .copy_group("g")
            .killed(5, Exact, None, "5 died."),
        article("a3", "three.example", Some("2024-03-03")).killed(5, Exact, None, "5 died."),
    ];
    let events = build_events(&articles, &["Strike"]);
    let (e, f) = (&events[0], &events[0].figures[0]);
    assert_eq!(f.values.len(), 2);
    assert_eq!(f.sources, 2);
    assert_eq!(e.sources, 2);
    assert_eq!(e.articles.len(), 3);
    assert_eq!(f.values[0].copies, [ArticleId::new("a2").unwrap()]);
}

#[test]
fn events_figures_weapons_and_blame_are_kept_apart() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02"))
            .killed(5, Exact, None, "5 died in the city.")
            .count_in(
                1,
                "killed",
                "people",
                Some(40),
                AtLeast,
                None,
                "The day before, at least 40 died elsewhere.",
                1,
            )
            .weapon(
                "cruise missile",
                "cruise missiles",
                Some("the army"),
                "The army said cruise missiles were used.",
            )
            .blame(
                "Country A",
                "Country B",
                false,
                "Country A blamed Country B.",
            )
            .blame("Country B", "Country A", true, "Country B denied it."),
        article("a2", "two.example", Some("2024-03-03"))
            .weapon(
                "cruise missile",
                "cruise missile",
                None,
                "A cruise missile hit the city.",
            )
            .blame(
                "Country A",
                "Country B",
                false,
                "Country A accused Country B.",
            ),
    ];
    let events = build_events(&articles, &["City strike", "Earlier strikes"]);
    assert_eq!(events.len(), 2);
    let city = events.iter().find(|e| e.id == "city-strike").unwrap();
    let earlier = events.iter().find(|e| e.id == "earlier-strikes").unwrap();
    assert_eq!(city.figures[0].range.map(|r| r.max), Some(5));
    assert_eq!(earlier.figures[0].range.map(|r| r.min), Some(40));
    assert_eq!(city.weapons.len(), 1);
    assert_eq!(city.weapons[0].sources, 2);
    assert_eq!(
        city.weapons[0].mentions[0].words.as_deref(),
        Some("cruise missiles")
    );
    assert_eq!(city.weapons[0].mentions[1].words, None);
    assert_eq!(city.blame.len(), 2);
    assert_eq!(city.blame[0].sources, 2);
    assert!(!city.blame[0].denial);
    assert!(city.blame[1].denial);
    assert!(earlier.weapons.is_empty());
}

#[test]
fn changes_name_new_events_sources_values_and_revisions() {
    let a1 = || {
        article("a1", "one.example", Some("2024-03-01")).killed(
            12,
            Exact,
            Some("officials"),
            "12 died.",
        )
    };
    let before = changes::snapshot(&build_events(&[a1()], &["Strike"]));
    let second = vec![
        a1(),
        article("a2", "two.example", Some("2024-03-02")).killed(
            19,
            Exact,
            Some("officials"),
            "19 died.",
        ),
    ];
    let events = build_events(&second, &["Strike"]);
    let changes = changes::diff(&before, &events);
    let kinds: Vec<String> = changes
        .iter()
        .map(|c| match &c.what {
            ChangeKind::NewSource { article, .. } => format!("new source {article}"),
            ChangeKind::NewValue { value, .. } => format!("new value {:?}", value.count),
            ChangeKind::Revised { from, to, .. } => {
                format!("revised {:?} -> {:?}", from.count, to.count)
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "new source a2",
            "new value Some(19)",
            "revised Some(12) -> Some(19)"
        ]
    );
    assert!(changes::diff(&changes::snapshot(&events), &events).is_empty());
    let gone = changes::diff(&changes::snapshot(&events), &[]);
    assert!(matches!(
        gone[..],
        [corpus::Change {
            what: ChangeKind::EventGone,
            ..
        }]
    ));
}

#[test]
fn a_total_read_from_parts_is_a_different_scope() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02")).killed(
            14,
            Exact,
            Some("the ministry"),
            "The ministry said 14 people died.",
        ),
        article("a2", "two.example", Some("2024-03-02"))
            .killed(
                16,
                Exact,
                Some("a blogger"),
                "14 adults and two children died.",
            )
            .parts(&[("adults", 14), ("children", 2)]),
    ];
    check(
        &articles,
        "killed/people",
        expect![[r#"
            status Consistent, range Some((14, 16)), sources 2, latest Some("a1#0"), reference Some("a1#0")
            14 | one.example | 2024-03-02 | Official
            16 | two.example | 2024-03-02 | Named
                DifferentScope: 16 includes 2 children; without them it is 14
        "#]],
    );
}

#[test]
fn a_claim_naming_no_place_is_about_the_events_place() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02")).killed(
            39,
            AtLeast,
            None,
            "At least 39 people died across the country.",
        ),
        article("a2", "two.example", Some("2024-03-02"))
            .killed(
                16,
                AtLeast,
                Some("the mayor"),
                "At least 16 died in the capital, the mayor said.",
            )
            .location("Capital City"),
    ];
    let mut events = assignment(&articles, &["Strikes"]);
    events.events[0].place = Some("Countryland".into());
    let built = build(&inputs(&articles), &events, &Rules::builtin());
    let f = &built[0].figures[0];
    // The mayor's figure is about another place than the event's: it is not the reference.
    assert_eq!(f.most_direct.as_deref(), Some("a1#0"));
    let reasons: Vec<&str> = f.divergences[0]
        .reasons
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        reasons[0],
        "at least 16 is about Capital City; at least 39 is about Countryland"
    );
}
