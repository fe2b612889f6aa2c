//! Claims from the figures, weapons and blame of each sentence, with the sources the
//! article gives for them and whether they are about the main event.

use chrono::NaiveDate;
use corpus::{BlameFact, Claim, EventFrame, Fact, PlaceRef, TimeRef};

use super::context::context;
use super::frame::{earlier, fits_main};
use super::sentence::{Sentence, clause_around};
use crate::attribution::{self, Source};
use crate::counts::FoundCount;
use crate::dates;
use crate::lexicon::Lexicon;
use crate::places::Role;
use crate::weapons::blames;

/// What the previous sentence ended on: the time and place it left off at, and whether
/// that was another incident.
#[derive(Clone, Default)]
struct Tail {
    place: Option<PlaceRef>,
    time: Option<TimeRef>,
    elsewhere: bool,
}

fn starts_continuation(s: &Sentence<'_>, lex: &Lexicon) -> bool {
    let first = s
        .tokens
        .iter()
        .position(|t| !t.is_quote() && t.kind != crate::text::Kind::Punct);
    first.is_some_and(|f| lex.continuation.at(&s.tokens, f).is_some())
}

pub(super) fn claims(
    sentences: &[Sentence<'_>],
    main: &EventFrame,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Vec<Claim> {
    let mut reader = Reader {
        main,
        lex,
        published,
        last_source: None,
        tail: Tail::default(),
        previous_counts_source: None,
        out: Vec::new(),
    };
    for s in sentences {
        reader.sentence(s);
    }
    reader.out
}

/// What reading the sentences in order carries from one to the next.
struct Reader<'m> {
    main: &'m EventFrame,
    lex: &'m Lexicon,
    published: Option<NaiveDate>,
    /// The last source named, for "he said" and "the ministry said" after it.
    last_source: Option<String>,
    tail: Tail,
    /// The attribution of the counts of the sentence before, with its block.
    previous_counts_source: Option<(usize, Vec<String>)>,
    out: Vec<Claim>,
}

/// What the counts of one sentence leave for the rest of it and for the next sentence.
#[derive(Default)]
struct CountsRead {
    /// Token ranges of counts about other incidents: a weapon they count ("shot down 32
    /// drones" in a report of a strike) is not the main event's.
    other_counts: Vec<(usize, usize)>,
    /// The sources of the sentence's counts about the main event.
    source: Option<Vec<String>>,
}

impl Reader<'_> {
    fn sentence(&mut self, s: &Sentence<'_>) {
        let continuation = starts_continuation(s, self.lex);
        let read = self.count_claims(s, continuation);
        // weapons and blame of a sentence dated before the main event are another's
        let sentence_elsewhere = s
            .times
            .iter()
            .any(|t| s.shift_at(t.start).is_none() && self.differs_from_main(Some(t.time)));
        self.weapon_claims(s, sentence_elsewhere, &read.other_counts);
        self.blame_claims(s, sentence_elsewhere);
        // what the next sentence may continue
        if let Some(src) = s.sources.iter().rfind(|src| !src.pronoun) {
            self.last_source = Some(src.name.clone());
        }
        // "... risen to 225, X said. He gave the following breakdown:": the lines after a
        // colon keep the source of the counts before it
        let introduces = s.counts.is_empty() && s.tokens.last().is_some_and(|t| t.is_punct(":"));
        if !introduces || s.breakdown {
            self.previous_counts_source = read.source.map(|c| (s.block, c));
        }
        self.tail = sentence_tail(
            s,
            self.main,
            self.lex,
            self.published,
            &self.tail,
            continuation,
        );
    }

    /// True when a time is known to be before the main event's.
    fn differs_from_main(&self, time: Option<TimeRef>) -> bool {
        match (time, self.main.time) {
            (Some(t), Some(m)) => earlier(dates::resolve(t, self.published), m),
            (Some(TimeRef::Month { .. } | TimeRef::Year { .. }), None) => true,
            _ => false,
        }
    }

    /// The names of the sources covering a word, a pronoun standing for the last named.
    fn resolve_sources(&self, covering: Vec<&Source>) -> Vec<String> {
        covering
            .into_iter()
            .filter_map(|src| match (src.pronoun, &self.last_source) {
                (false, _) => Some(src.label()),
                (true, Some(l)) => Some(l.clone()),
                // "the ministry said" with no ministry named before: keep the words
                (true, None) => {
                    let name = src.name.to_lowercase();
                    let personal = &self.lex.file.attribution.personal_pronouns;
                    (!personal.contains(&name)).then(|| src.label())
                }
            })
            .collect()
    }

    fn count_claims(&mut self, s: &Sentence<'_>, continuation: bool) -> CountsRead {
        let mut read = CountsRead::default();
        for (k, c) in s.counts.iter().enumerate() {
            let (place, time, elsewhere) = self.where_and_when(s, k, continuation);
            let mut chain = self.resolve_sources(attribution::source_of(&s.sources, c.start));
            if chain.is_empty()
                && let Some(a) = s.block_attribution
            {
                chain.push(a.to_string());
            }
            // "At least 18 were killed, the Times reported. The dead included two children."
            if chain.is_empty()
                && !elsewhere
                && let Some((block, prev)) = &self.previous_counts_source
                && (*block == s.block || s.breakdown)
            {
                chain = prev.clone();
            }
            if !chain.is_empty() && !elsewhere {
                read.source = Some(chain.clone());
            }
            let main = self.main;
            let big = self.lex.file.places.big_city;
            let describe = |p: &PlaceRef| self.lex.gazetteer.describe(p, big);
            let location = place.as_ref().map(describe).or_else(|| {
                (!elsewhere)
                    .then(|| main.place.as_ref().map(describe))
                    .flatten()
            });
            let incident = self.incident_of(s, c, elsewhere);
            let main_kind = main.incident.as_deref().map(|i| self.lex.incident_kind(i));
            let other_kind = incident
                .as_deref()
                .is_some_and(|i| main_kind.is_some_and(|m| self.lex.incident_kind(i) != m));
            if elsewhere || other_kind {
                read.other_counts.push((c.start, c.end));
            }
            let resolved = time.map(|t| dates::resolve(t, self.published));
            self.out.push(Claim {
                fact: Fact::Count(c.fact.clone()),
                quote: s.original.to_string(),
                attribution: chain.first().cloned(),
                attribution_chain: if chain.len() > 1 { chain } else { Vec::new() },
                location,
                when: match resolved {
                    Some(TimeRef::Date { date }) => Some(date),
                    _ => None,
                },
                background: elsewhere,
                incident,
                place,
                time: resolved,
                block: s.block as u32,
                sentence: s.index as u32,
            });
        }
        read
    }

    /// The place and time of the `k`th count of a sentence, and whether it is about another
    /// incident than the main event.
    fn where_and_when(
        &self,
        s: &Sentence<'_>,
        k: usize,
        continuation: bool,
    ) -> (Option<PlaceRef>, Option<TimeRef>, bool) {
        let (main, lex) = (self.main, self.lex);
        let c = &s.counts[k];
        // the place after a list is every listed count's ("killed 20 children and six
        // adults at a school in Newtown"): the limit is the first count after the list
        let mut next = k + 1;
        while let (Some(a), Some(b)) = (s.counts.get(next - 1), s.counts.get(next))
            && a.end <= b.start
            && s.tokens[a.end..b.start]
                .iter()
                .all(|t| t.is_punct(",") || t.lower == "and")
        {
            next += 1;
        }
        let limit = s
            .counts
            .get(next)
            .map_or(s.tokens.len(), |n| n.start.max(c.end));
        let ctx = context(s, c.start, c.end, limit, main.place.as_ref(), lex);
        let mut place = ctx.place.clone();
        let mut time = ctx.time;
        let mut elsewhere = ctx.elsewhere || c.other;
        if continuation && self.tail.elsewhere {
            // "They left 39 dead": the sentence goes on about the other incident the one
            // before ended on
            if place.is_none() && time.is_none() {
                elsewhere = true;
            }
            if place.is_none() && elsewhere {
                place = self.tail.place.clone();
            }
            if time.is_none() {
                time = self.tail.time;
            }
        }
        let fits = if ctx.listed.is_empty() {
            place.as_ref().and_then(|p| fits_main(p, main))
        } else {
            Some(ctx.listed.iter().any(|p| fits_main(p, main) == Some(true)))
        };
        // an earthquake or a flood strikes many places at once
        let wide = main
            .incident
            .as_ref()
            .is_some_and(|i| lex.wide_incidents.contains(i.as_str()));
        let anywhere = lex
            .measures
            .iter()
            .any(|m| m.name == c.fact.measure && m.anywhere);
        if fits == Some(false) && !wide && !anywhere {
            elsewhere = true;
        }
        if self.differs_from_main(time) {
            elsewhere = true;
        }
        (place, time, elsewhere)
    }

    /// The kind of incident a count is about: named in its clause, implied by its measure,
    /// else the main event's.
    fn incident_of(&self, s: &Sentence<'_>, c: &FoundCount, elsewhere: bool) -> Option<String> {
        let lex = self.lex;
        incident_near(s, c.start, lex)
            .map(|i| lex.incident_kind(&i).to_string())
            .or_else(|| {
                let m = lex.measures.iter().find(|m| m.name == c.fact.measure);
                m.and_then(|m| m.incident.clone())
            })
            .or_else(|| (!elsewhere).then(|| self.main.incident.clone()).flatten())
    }

    /// Weapons named for the main event.
    fn weapon_claims(
        &mut self,
        s: &Sentence<'_>,
        sentence_elsewhere: bool,
        other_counts: &[(usize, usize)],
    ) {
        for w in &s.weapons {
            if sentence_elsewhere
                || context(s, w.start, w.start + 1, w.start + 1, None, self.lex).elsewhere
                || other_counts
                    .iter()
                    .any(|&(a, b)| a <= w.start && w.start < b)
            {
                continue;
            }
            let mut chain = self.resolve_sources(attribution::source_of(&s.sources, w.start));
            if chain.is_empty()
                && let Some(a) = s.block_attribution
            {
                chain.push(a.to_string());
            }
            let claim = main_event_claim(Fact::Weapon(w.fact.clone()), s, chain, self.main, false);
            self.out.push(claim);
        }
    }

    /// Who blames whom, said by the sentence's leading source.
    fn blame_claims(&mut self, s: &Sentence<'_>, sentence_elsewhere: bool) {
        let speaker = s
            .sources
            .iter()
            .find(|src| src.leading || src.scope.1 > 0)
            .and_then(|src| {
                if src.pronoun {
                    self.last_source.clone()
                } else {
                    Some(src.name.clone())
                }
            });
        let antecedent = self.last_source.as_deref();
        for b in blames(&s.tokens, s.text, speaker.as_deref(), antecedent, self.lex) {
            if is_trivial_blame(&b) {
                continue;
            }
            let chain = speaker.iter().cloned().collect();
            let claim = main_event_claim(Fact::Blame(b), s, chain, self.main, sentence_elsewhere);
            self.out.push(claim);
        }
    }
}

/// A weapon or blame claim of a sentence: about the main event unless `background`, at
/// its place, with the sources in `chain` (nearest first).
fn main_event_claim(
    fact: Fact,
    s: &Sentence<'_>,
    chain: Vec<String>,
    main: &EventFrame,
    background: bool,
) -> Claim {
    Claim {
        fact,
        quote: s.original.to_string(),
        attribution: chain.first().cloned(),
        attribution_chain: if chain.len() > 1 { chain } else { Vec::new() },
        location: main.place.as_ref().map(|p| p.name.clone()),
        when: None,
        background,
        incident: main.incident.clone(),
        place: None,
        time: None,
        block: s.block as u32,
        sentence: s.index as u32,
    }
}

fn is_trivial_blame(b: &BlameFact) -> bool {
    b.accused.is_none() && !b.denial
}

fn incident_near(s: &Sentence<'_>, at: usize, lex: &Lexicon) -> Option<String> {
    let (cs, ce) = clause_around(&s.tokens, at, at + 1);
    (cs..ce).find_map(|i| lex.incidents.at(&s.tokens, i).map(|(_, name)| name.clone()))
}

fn sentence_tail(
    s: &Sentence<'_>,
    main: &EventFrame,
    lex: &Lexicon,
    published: Option<NaiveDate>,
    before: &Tail,
    continuation: bool,
) -> Tail {
    let last_time = s.times.iter().rfind(|t| s.shift_at(t.start).is_none());
    let last_place = s.places.iter().rfind(|m| m.role == Role::Location);
    if last_time.is_none() && last_place.is_none() {
        return if continuation {
            before.clone()
        } else {
            Tail::default()
        };
    }
    let at = last_time
        .map(|t| t.start)
        .max(last_place.map(|m| m.start))
        .unwrap_or(0);
    let ctx = context(s, at, at + 1, at + 1, main.place.as_ref(), lex);
    let time = last_time.map(|t| t.time);
    let place = last_place.map(|m| m.place.clone());
    let mut elsewhere = ctx.elsewhere;
    if let (Some(t), Some(m)) = (time, main.time)
        && earlier(dates::resolve(t, published), m)
    {
        elsewhere = true;
    }
    if let Some(p) = &place
        && fits_main(p, main) == Some(false)
    {
        elsewhere = true;
    }
    Tail {
        place,
        time,
        elsewhere,
    }
}
