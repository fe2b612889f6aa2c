//! Writes a synthetic corpus for the analyser's benchmark: articles from many outlets about a
//! few dozen made-up incidents, with tolls that rise over the days, attributions, lower bounds
//! and background paragraphs, in the raw form the fetcher stores.
//!
//! As in a real corpus, about one article in three is a wire story run whole or cut (one
//! story per incident and day, so copy groups of a few dozen), and the others are each
//! outlet's own report, worded its own way (sentences with many interchangeable parts, so
//! two own reports are not copies of each other).
//!
//! ```sh
//! cargo run --release -p analyser --example synth_corpus -- --out /tmp/c --articles 10000
//! # one more article, numbered after the first 10,000:
//! cargo run --release -p analyser --example synth_corpus -- --out /tmp/c --first 10000 --articles 1
//! ```

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use clap::Parser;
use corpus::{ArticleId, Corpus, Origin, PubTime, RawArticle, RawFormat};

#[derive(Debug, Parser)]
struct Args {
    /// The corpus directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// How many articles to write.
    #[arg(long, default_value_t = 10_000)]
    articles: u64,
    /// Number of the first article (to add articles to an existing synthetic corpus).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// How many incidents the articles are about.
    #[arg(long, default_value_t = 40)]
    incidents: u64,
}

const PLACES: &[&str] = &[
    "Northport",
    "Eastvale",
    "Riverton",
    "Lakeside",
    "Hillcrest",
    "Westbrook",
    "Stonebridge",
    "Fairhaven",
    "Redcliff",
    "Ashford",
];
const KINDS: &[&str] = &["explosion", "strike", "shooting", "earthquake", "fire"];
const AUTHORITIES: &[&str] = &[
    "the health ministry",
    "local officials",
    "the regional governor",
    "police",
    "emergency services",
    "a hospital spokesperson",
    "witnesses",
];
const OUTLETS: &[&str] = &[
    "Daily Ledger",
    "Morning Wire",
    "City Herald",
    "Evening Post",
    "Global Times Online",
    "Metro News",
    "Coastal Tribune",
    "National Observer",
];

/// A small deterministic generator (SplitMix64), so the corpus is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Background sentences: each part is one of several wordings, so that reports differ.
const BACKGROUND: &[&[&[&str]]] = &[
    &[
        &[
            "Rescue teams",
            "Firefighters",
            "Soldiers",
            "Volunteers",
            "Medics",
            "Neighbours",
        ],
        &["worked", "searched", "dug", "kept going", "toiled"],
        &[
            "through the night",
            "until dawn",
            "for hours",
            "into the evening",
            "without a break",
        ],
        &["as", "while", "and"],
        &["families", "relatives", "friends", "crowds", "onlookers"],
        &["waited", "gathered", "prayed", "stood", "wept"],
        &[
            "outside the hospital.",
            "near the site.",
            "at the cordon.",
            "by the road.",
            "in the rain.",
        ],
    ],
    &[
        &["\"We heard", "\"There was", "\"I felt", "\"Everyone heard"],
        &[
            "a loud noise",
            "a huge bang",
            "a deep rumble",
            "a terrible crash",
            "screaming",
        ],
        &[
            "and then",
            "and suddenly",
            "and a moment later",
            "and after that",
        ],
        &[
            "everything went dark,\"",
            "the windows broke,\"",
            "people started running,\"",
            "the lights went out,\"",
        ],
        &[
            "one resident",
            "a shopkeeper",
            "a teacher",
            "a taxi driver",
            "an elderly man",
            "a student",
        ],
        &[
            "told reporters.",
            "told this newspaper.",
            "said by telephone.",
            "said at the scene.",
        ],
    ],
    &[
        &["The cause", "The origin", "What set it off"],
        &[
            "was not yet known,",
            "remained unclear,",
            "was still being investigated,",
            "had not been established,",
        ],
        &["and", "but", "although"],
        &[
            "investigators",
            "experts",
            "officials",
            "engineers",
            "prosecutors",
        ],
        &["were expected", "planned", "hoped", "were due"],
        &[
            "to report",
            "to give details",
            "to say more",
            "to publish findings",
        ],
        &[
            "within days.",
            "later this week.",
            "by the weekend.",
            "next month.",
            "soon.",
        ],
    ],
    &[
        &[
            "Roads",
            "Schools",
            "Shops",
            "Offices",
            "Markets",
            "Train services",
        ],
        &[
            "in the area",
            "nearby",
            "across the district",
            "around the centre",
        ],
        &[
            "stayed closed",
            "were shut",
            "remained closed",
            "did not open",
        ],
        &[
            "on the next day,",
            "for a second day,",
            "until further notice,",
            "all morning,",
        ],
        &["and", "while", "as"],
        &[
            "the mayor",
            "the council",
            "a minister",
            "the governor",
            "the police chief",
        ],
        &[
            "urged calm.",
            "asked people to stay home.",
            "promised help.",
            "visited the site.",
            "called for patience.",
        ],
    ],
];

/// One background sentence, worded by `rng`.
fn background(rng: &mut Rng, which: usize) -> String {
    BACKGROUND[which % BACKGROUND.len()]
        .iter()
        .map(|choices| rng.pick(choices))
        .collect::<Vec<_>>()
        .join(" ")
}

fn article(n: u64, incidents: u64) -> RawArticle {
    let mut rng = Rng(n.wrapping_mul(7919) ^ 0xC0FFEE);
    let incident = rng.below(incidents);
    let mut by_incident = Rng(incident ^ 0xABCDEF);
    let place = by_incident.pick(PLACES);
    let kind = by_incident.pick(KINDS);
    let start_day =
        NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(by_incident.below(3000));
    // As news writes a day ("March 4, 2015"), so that the extractor dates each incident: an
    // ISO date in prose is not read as one, and every incident of a place and kind was one
    // undated event (50 events, whatever the number of incidents).
    let start = start_day.format("%B %-d, %Y");
    let base_toll = 3 + by_incident.below(60);
    let day = rng.below(4);
    let published = start_day + Days::new(day);
    // The toll rises over the days; some sources give a lower bound or an outlier.
    let toll = base_toll + day * (1 + base_toll / 5) + rng.below(3);
    let injured = toll * (2 + rng.below(4));
    let authority = rng.pick(AUTHORITIES);
    let outlet = OUTLETS[(n % OUTLETS.len() as u64) as usize];
    let bound = if rng.below(3) == 0 { "At least " } else { "" };
    let body = if rng.below(3) == 0 {
        // The wire story of this incident and day, whole or cut, with the outlet's own
        // dateline and sign-off.
        let mut wire = Rng(incident.wrapping_mul(31).wrapping_add(day) ^ 0x5EED);
        let wire_toll = base_toll + day * (1 + base_toll / 5);
        let mut paragraphs = vec![format!(
            "{wire_toll} people were killed and {} injured in the {kind} in {place} on {start}, {} said.",
            wire_toll * 3,
            wire.pick(AUTHORITIES)
        )];
        paragraphs.extend((0..8).map(|k| {
            format!(
                "{} {}",
                background(&mut wire, k),
                background(&mut wire, k + 1)
            )
        }));
        paragraphs.push(format!(
            "Earlier, officials said {base_toll} people had died."
        ));
        let kept = paragraphs.len() - rng.below(4) as usize;
        format!(
            "{} (Wire) -\n\n{}\n\nReporting by the {outlet} desk, article {n}.\n",
            place.to_uppercase(),
            paragraphs[..kept].join("\n\n")
        )
    } else {
        let sentences = 4 + rng.below(4) as usize;
        let own: Vec<String> = (0..sentences)
            .map(|_| {
                let which = rng.below(BACKGROUND.len() as u64) as usize;
                let sentence = background(&mut rng, which);
                // A time of day as each outlet heard it: two reports worded alike still
                // differ here and there, as real ones do.
                let (hour, minute) = (rng.below(24), rng.below(60));
                format!(
                    "{} (at {hour}:{minute:02}).",
                    sentence.trim_end_matches('.')
                )
            })
            .collect();
        format!(
            "{bound}{toll} people were killed and {injured} injured in the {kind} in {place} on {start}, {authority} said.\n\n\
             {}\n\n\
             Earlier, officials said {early} people had died.\n\n\
             The day before, a separate incident elsewhere in the country killed {other} people.\n",
            own.join("\n\n"),
            early = base_toll,
            other = 1 + rng.below(9),
        )
    };
    let id = ArticleId::new(format!("synth_{n:06}")).expect("a valid id");
    let mut raw = RawArticle::new(
        id,
        RawFormat::Text,
        Origin::Fetch {
            url: format!("https://news{}.example/{n}", n % OUTLETS.len() as u64),
            final_url: None,
            source: None,
        },
        body,
    );
    raw.meta.site_name = Some(outlet.to_string());
    raw.meta.published = Some(PubTime::Date(published));
    raw.meta.title = Some(format!("{kind} in {place}: toll rises to {toll}"));
    raw
}

fn main() -> Result<()> {
    let args = Args::parse();
    let corpus = Corpus::create(&args.out)
        .with_context(|| format!("cannot create corpus {}", args.out.display()))?;
    for n in args.first..args.first + args.articles {
        corpus.write_raw(&article(n, args.incidents))?;
    }
    eprintln!(
        "synth_corpus: {} articles written to {}",
        args.articles,
        args.out.display()
    );
    Ok(())
}
