//! Writes a synthetic corpus for the analyser's benchmark: articles from many outlets about a
//! few dozen made-up incidents, with tolls that rise over the days, attributions, lower bounds
//! and background paragraphs, in the raw form the fetcher stores.
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

fn article(n: u64, incidents: u64) -> RawArticle {
    let mut rng = Rng(n.wrapping_mul(7919) ^ 0xC0FFEE);
    let incident = rng.below(incidents);
    let mut by_incident = Rng(incident ^ 0xABCDEF);
    let place = by_incident.pick(PLACES);
    let kind = by_incident.pick(KINDS);
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(by_incident.below(3000));
    let base_toll = 3 + by_incident.below(60);
    let day = rng.below(4);
    let published = start + Days::new(day);
    // The toll rises over the days; some sources give a lower bound or an outlier.
    let toll = base_toll + day * (1 + base_toll / 5) + rng.below(3);
    let injured = toll * (2 + rng.below(4));
    let authority = rng.pick(AUTHORITIES);
    let outlet = OUTLETS[(n % OUTLETS.len() as u64) as usize];
    let bound = if rng.below(3) == 0 { "At least " } else { "" };
    let body = format!(
        "{bound}{toll} people were killed and {injured} injured in the {kind} in {place} on {start}, {authority} said.\n\n\
         Rescue teams worked through the night as families waited for news outside the hospital.\n\n\
         \"We heard a loud noise and then everything went dark,\" one resident told reporters.\n\n\
         Earlier, officials said {early} people had died.\n\n\
         The day before, a separate incident elsewhere in the country killed {other} people.\n\n\
         Article {n} of a synthetic corpus made for the analyser's benchmark.\n",
        early = base_toll,
        other = 1 + rng.below(9),
    );
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
