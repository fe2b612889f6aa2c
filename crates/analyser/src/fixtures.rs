//! Articles and claims made by hand for the comparison's and the report's tests.

use chrono::{TimeZone, Utc};
use corpus::{
    ArticleClaims, ArticleId, BlameFact, Claim, CountFact, CountPart, Fact, NormalisedDoc, Origin,
    PubTime, Qualifier, RawArticle, RawFormat, WeaponFact,
};

use crate::events::{ArticleInput, Event, EventAssignment};

/// One article: its outlet, date, copy group and claims, each claim with its event index.
pub struct Article {
    pub raw: RawArticle,
    pub doc: NormalisedDoc,
    pub claims: ArticleClaims,
    pub events: Vec<usize>,
}

pub fn article(id: &str, outlet: &str, published: Option<&str>) -> Article {
    let id = ArticleId::new(id).unwrap();
    let mut raw = RawArticle::new(
        id.clone(),
        RawFormat::Html,
        Origin::Fetch {
            url: format!("https://{outlet}/{id}"),
            final_url: None,
            source: None,
        },
        String::new(),
    );
    raw.retrieved_at = Utc.with_ymd_and_hms(2024, 1, 2, 0, 0, 0).unwrap();
    raw.meta.published = published.map(|p| PubTime::parse(p).unwrap());
    let doc = NormalisedDoc {
        schema: 1,
        id: id.clone(),
        input_sha256: raw.body_sha256.clone(),
        normaliser: "test".into(),
        meta: raw.meta.clone(),
        blocks: Vec::new(),
        removed: Vec::new(),
        copy_group: None,
        text_sha256: format!("text-of-{id}"),
    };
    let claims = ArticleClaims {
        schema: 1,
        article: id,
        input_sha256: doc.text_sha256.clone(),
        analyser: "test".into(),
        claims: Vec::new(),
        main_event: None,
    };
    Article {
        raw,
        doc,
        claims,
        events: Vec::new(),
    }
}

fn claim(fact: Fact, quote: &str, attribution: Option<&str>, sentence: u32) -> Claim {
    Claim {
        fact,
        quote: quote.into(),
        attribution: attribution.map(Into::into),
        attribution_chain: Vec::new(),
        location: None,
        when: None,
        background: false,
        incident: None,
        place: None,
        time: None,
        block: 0,
        sentence,
    }
}

impl Article {
    pub fn copy_group(mut self, group: &str) -> Self {
        self.doc.copy_group = Some(group.into());
        self
    }

    /// A count claim about event `event`, in a sentence of its own unless `sentence` repeats.
    #[allow(clippy::too_many_arguments)]
    pub fn count_in(
        mut self,
        event: usize,
        measure: &str,
        subject: &str,
        count: Option<u64>,
        qualifier: Qualifier,
        attribution: Option<&str>,
        quote: &str,
        sentence: u32,
    ) -> Self {
        let fact = Fact::Count(CountFact {
            measure: measure.into(),
            subject: subject.into(),
            noun: None,
            count,
            qualifier,
            parts: Vec::new(),
        });
        self.claims
            .claims
            .push(claim(fact, quote, attribution, sentence));
        self.events.push(event);
        self
    }

    /// A "killed people" claim about event 0.
    pub fn killed(
        self,
        count: u64,
        qualifier: Qualifier,
        attribution: Option<&str>,
        quote: &str,
    ) -> Self {
        let sentence = self.claims.claims.len() as u32;
        self.count_in(
            0,
            "killed",
            "people",
            Some(count),
            qualifier,
            attribution,
            quote,
            sentence,
        )
    }

    pub fn last_claim(&mut self) -> &mut Claim {
        self.claims.claims.last_mut().unwrap()
    }

    pub fn parts(mut self, parts: &[(&str, u64)]) -> Self {
        if let Fact::Count(f) = &mut self.last_claim().fact {
            f.parts = parts
                .iter()
                .map(|(s, c)| CountPart {
                    subject: (*s).into(),
                    count: *c,
                })
                .collect();
        }
        self
    }

    pub fn noun(mut self, noun: &str) -> Self {
        if let Fact::Count(f) = &mut self.last_claim().fact {
            f.noun = Some(noun.into());
        }
        self
    }

    pub fn location(mut self, place: &str) -> Self {
        self.last_claim().location = Some(place.into());
        self
    }

    pub fn chain(mut self, chain: &[&str]) -> Self {
        self.last_claim().attribution_chain = chain.iter().map(|s| (*s).into()).collect();
        self
    }

    pub fn weapon(
        mut self,
        value: &str,
        mention: &str,
        attribution: Option<&str>,
        quote: &str,
    ) -> Self {
        let fact = Fact::Weapon(WeaponFact {
            value: value.into(),
            mention: mention.into(),
        });
        let sentence = self.claims.claims.len() as u32;
        self.claims
            .claims
            .push(claim(fact, quote, attribution, sentence));
        self.events.push(0);
        self
    }

    pub fn blame(mut self, accuser: &str, accused: &str, denial: bool, quote: &str) -> Self {
        let fact = Fact::Blame(BlameFact {
            accuser: Some(accuser.into()),
            accused: Some(accused.into()),
            denial,
        });
        let sentence = self.claims.claims.len() as u32;
        self.claims.claims.push(claim(fact, quote, None, sentence));
        self.events.push(0);
        self
    }

    pub fn input(&self) -> ArticleInput<'_> {
        ArticleInput {
            raw: &self.raw,
            doc: &self.doc,
            claims: &self.claims,
        }
    }
}

/// The events named, and each article's claims assigned to them as the articles say.
pub fn assignment(articles: &[Article], labels: &[&str]) -> EventAssignment {
    let mut a = EventAssignment {
        events: labels
            .iter()
            .map(|l| Event {
                id: l.to_lowercase().replace(' ', "-"),
                label: (*l).into(),
                place: None,
                date: None,
                kind: None,
            })
            .collect(),
        ..Default::default()
    };
    for article in articles {
        for (i, &event) in article.events.iter().enumerate() {
            a.claim_event.insert((article.raw.id.clone(), i), event);
        }
    }
    a
}

pub fn inputs(articles: &[Article]) -> Vec<ArticleInput<'_>> {
    articles.iter().map(Article::input).collect()
}
