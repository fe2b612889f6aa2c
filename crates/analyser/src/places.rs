//! The place names of a sentence, found with the gazetteer, and the role each plays (where
//! something happened, or who acted). Among places of one name, what the text says next to
//! the name picks one ("Athens, Georgia"), then what the article says elsewhere ([`Hints`]).

use rustc_hash::FxHashSet as HashSet;

use corpus::{PlaceLevel, PlaceRef};

pub use crate::gazetteer::{Entry, Gazetteer, common_country, within};
use crate::lexicon::{Lexicon, PlacesSpec};
use crate::text::{Kind, Token};

mod dateline;
mod role;

use dateline::dateline;
use role::role_of;

/// What a place name does in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Acts or speaks ("Russia said", "Moscow's forces", "Russian officials", "by Kyiv").
    Actor,
    /// An adjective of a country before a noun of place ("a Polish border village").
    Adjective,
    /// Named without a preposition of place, or after a weak one ("of", "to").
    Weak,
    /// After a preposition of place ("in", "across", "near") or a noun of place ("the
    /// city of X"): where something happened.
    Location,
}

/// A place named in a sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub place: PlaceRef,
    pub role: Role,
    /// The dateline's town: where the story was filed, which may not be where it happened.
    pub dateline: bool,
    /// A wire dateline with no state or country ("MINSK (Reuters) -", "MOSCOW, April 14
    /// (Reuters) -"): often the agency's bureau rather than the place of the news.
    pub bureau: bool,
    /// The gazetteer knows other places of this name and nothing next to it chose one: what
    /// the article says elsewhere may ([`Hints`]).
    pub ambiguous: bool,
}

/// What the article says elsewhere, to choose among places of one name.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Places the article names with what they lie in ("Paris, Texas"): the same name
    /// elsewhere in it is the same place.
    pub places: Vec<PlaceRef>,
    /// Countries and first-level divisions the sentence names.
    pub nearby: Vec<PlaceRef>,
    /// First-level divisions the article names.
    pub regions: Vec<PlaceRef>,
    /// The article's country.
    pub country: Option<String>,
    /// The gazetteer's names of the places the article names, outside datelines.
    pub named: Vec<String>,
}

impl Hints {
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
            && self.nearby.is_empty()
            && self.regions.is_empty()
            && self.country.is_none()
            && self.named.is_empty()
    }
}

/// The words of `[places]` that the scanner and the figures' places read, as sets.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Words inside one name of several words ("Pescara del Tronto").
    pub name_joiners: HashSet<String>,
    /// Those and the words that may join a name to what follows ("Stratford upon Avon",
    /// "Boston on Monday").
    pub connectors: HashSet<String>,
    /// "near X", "outside X": a landmark to find another place by.
    pub landmark: HashSet<String>,
    /// "in", "at": what is at a place ("hospitals in Rieti", "12 in X").
    pub at: HashSet<String>,
    /// "in the city", "in and around X".
    pub local: HashSet<String>,
}

impl Words {
    pub fn new(spec: &PlacesSpec) -> Words {
        let set = |words: &[String]| words.iter().map(|w| w.to_lowercase()).collect();
        let mut connectors: HashSet<String> = set(&spec.name_joiners);
        connectors.extend(set(&spec.name_connectors));
        Words {
            name_joiners: set(&spec.name_joiners),
            connectors,
            landmark: set(&spec.landmark_prepositions),
            at: set(&spec.at_prepositions),
            local: set(&spec.local_prepositions),
        }
    }
}

/// The places a sentence names.
pub fn mentions(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<Mention> {
    mentions_with(tokens, lex, &Hints::default())
}

/// The places a sentence names, with what the article says elsewhere.
pub fn mentions_with(tokens: &[Token<'_>], lex: &Lexicon, hints: &Hints) -> Vec<Mention> {
    let mut scan = Scanner {
        tokens,
        lex,
        g: &lex.gazetteer,
        hints,
        out: Vec::new(),
    };
    let mut i = 0;
    if let Some(m) = dateline(&scan) {
        i = m.end;
        scan.out.push(m);
    }
    while i < tokens.len() {
        i = scan.step(i);
    }
    scan.out
}

struct Scanner<'s, 't> {
    tokens: &'s [Token<'t>],
    lex: &'s Lexicon,
    g: &'s Gazetteer,
    hints: &'s Hints,
    out: Vec<Mention>,
}

/// What stands before a name at `i`.
struct Before {
    /// The word before it, past "the".
    prev: Option<usize>,
    /// After a place where something happened and "and" or a comma ("in Mirandola and
    /// Cavezzo"): such a place too.
    listed: bool,
    /// After a noun of place ("the city of X", "the capital Kyiv").
    after_settlement: bool,
}

/// A name the gazetteer knows at `i`: its length in tokens, the place, and whether other
/// places have that name.
struct Known<'g> {
    n: usize,
    entry: Entry<'g>,
    ambiguous: bool,
}

impl<'s> Scanner<'s, '_> {
    fn word_in(&self, set: &HashSet<String>, k: usize) -> bool {
        self.tokens
            .get(k)
            .is_some_and(|t| set.contains(t.lower.as_str()))
    }

    fn mention(&mut self, start: usize, end: usize, place: PlaceRef, role: Role) {
        self.out.push(Mention {
            start,
            end,
            place,
            role,
            dateline: false,
            bureau: false,
            ambiguous: false,
        });
    }

    /// Reads what starts at `i`; where to go on from.
    fn step(&mut self, i: usize) -> usize {
        let t = &self.tokens[i];
        if t.kind != Kind::Word || t.lower == "'s" {
            return i + 1;
        }
        let before = self.before(i);
        if !t.is_capitalised() {
            self.lower_case_place(i, &before);
            return i + 1;
        }
        let known = self.known_name(i, &before);
        if let Some(k) = &known
            && let Some(end) = self.organisation(i, k)
        {
            return end;
        }
        let (n, place, ambiguous) = match known {
            Some(k) => {
                let written = joined(self.tokens, i, i + k.n);
                (k.n, self.g.place_ref(written, &k.entry), k.ambiguous)
            }
            None => {
                if self.demonym(i) {
                    return i + 1;
                }
                match self.unknown_name(i, &before) {
                    Some((n, place)) => (n, place, false),
                    None => return self.past_name(i),
                }
            }
        };
        let (end, place, placed) = self.extend(i, n, place);
        let role = self.role(i, end, &place, &before);
        self.out.push(Mention {
            start: i,
            end,
            place,
            role,
            dateline: false,
            bureau: false,
            ambiguous: ambiguous && !placed,
        });
        end
    }

    fn before(&self, i: usize) -> Before {
        let tokens = self.tokens;
        let lex = self.lex;
        let prev = previous_word(tokens, i);
        let listed = i > 0
            && (tokens[i - 1].lower == "and" || tokens[i - 1].is_punct(","))
            && self
                .out
                .last()
                .is_some_and(|m| m.end + 1 == i && m.role == Role::Location);
        let after_settlement = prev.is_some_and(|p| {
            self.word_in(&lex.settlement_nouns, p)
                || (tokens[p].lower == "of"
                    && previous_word(tokens, p)
                        .is_some_and(|q| self.word_in(&lex.settlement_nouns, q)))
        });
        Before {
            prev,
            listed,
            after_settlement,
        }
    }

    /// "the capital kyiv": a known name in lower case after a noun of place.
    fn lower_case_place(&mut self, i: usize, before: &Before) {
        let t = &self.tokens[i];
        if before.after_settlement
            && let Some(entry) = self.g.get_lower(&t.lower)
            && entry.level != PlaceLevel::Country
        {
            let place = self.g.place_ref(t.text.to_string(), &entry);
            self.mention(i, i + 1, place, Role::Location);
        }
    }

    /// The longest name the gazetteer knows at `i` that may be a place here.
    fn known_name(&self, i: usize, before: &Before) -> Option<Known<'s>> {
        let (tokens, lex) = (self.tokens, self.lex);
        let mut found: Option<Known<'s>> = None;
        let mut name = String::new();
        let mut n = 0;
        while let Some(w) = tokens.get(i + n) {
            if w.kind != Kind::Word || w.lower == "'s" {
                break;
            }
            let connector = lex.place_words.connectors.contains(w.lower.as_str());
            if n > 0 && !w.is_capitalised() && !connector {
                break;
            }
            if n > 0 {
                name.push(' ');
            }
            name.push_str(w.text);
            n += 1;
            let skipped = connector
                || (n == 1 && lex.not_places.contains(w.lower.as_str()))
                || lex.months.contains_key(w.lower.as_str());
            if !skipped && let Some((entry, ambiguous)) = self.pick(&name) {
                found = Some(Known {
                    n,
                    entry,
                    ambiguous,
                });
            }
            if !self.g.has_longer(&name) {
                break;
            }
        }
        found.filter(|k| self.expected_here(i, k, before) && !self.part_of_longer(i, k))
    }

    /// Among the places of a name, the one the article means (see [`Hints`]), and whether
    /// there were others.
    fn pick(&self, name: &str) -> Option<(Entry<'s>, bool)> {
        let g: &'s Gazetteer = self.g;
        let all = g.all(name);
        let first = *all.first()?;
        let ambiguous = all.len() > 1;
        let h = self.hints;
        if !ambiguous || h.is_empty() {
            return Some((first, ambiguous));
        }
        let same = |e: &Entry<'_>, p: &PlaceRef| {
            e.canonical == p.canonical
                && Some(e.country) == p.country.as_deref()
                && Some(e.admin1) == p.admin1.as_deref()
        };
        if let Some(e) = all.iter().find(|e| h.places.iter().any(|p| same(e, p))) {
            return Some((*e, true));
        }
        // a big city keeps its name against the places of the article's regions (another
        // big city of the name too: the article's country alone does not say which)
        if first.population >= self.lex.file.places.big_city {
            return Some((first, true));
        }
        let inside = |e: &Entry<'_>, r: &PlaceRef| {
            Some(e.country) == r.country.as_deref()
                && (r.level == PlaceLevel::Country || Some(e.admin1) == r.admin1.as_deref())
        };
        let regions = h.nearby.iter().chain(&h.regions);
        let chosen = regions
            .filter_map(|r| all.iter().find(|e| inside(e, r)))
            .next()
            .or_else(|| all.iter().find(|e| h.country.as_deref() == Some(e.country)));
        Some((*chosen.unwrap_or(&first), true))
    }

    /// A small place's name is often a word or a name too ("Federal", "Most"): it is taken
    /// for a place only where a place is expected (after a preposition or a noun of place).
    fn expected_here(&self, i: usize, k: &Known<'_>, before: &Before) -> bool {
        let (tokens, lex) = (self.tokens, self.lex);
        let e = &k.entry;
        if k.n > 1 || e.level == PlaceLevel::Country {
            return true;
        }
        let prep = |p: usize| lex.place_prepositions.contains(tokens[p].lower.as_str());
        // "at Ataturk airport": a tiny town's name before a building's noun is more often
        // the person the building is named after, and the preposition is the building's
        let building =
            e.population < lex.file.places.tiny_town && self.word_in(&lex.not_place_heads, i + 1);
        // a district's name needs its preposition right before it ("in Khuzdar", not "at
        // the Harris factory")
        let close = e.level != PlaceLevel::Region;
        let strong_prep = !building
            && before.prev.is_some_and(|p| {
                (p + 1 == i && prep(p) && !lex.weak_prepositions.contains(tokens[p].lower.as_str()))
                    || (close && p + 2 == i && prep(p))
            });
        let noun_after =
            self.word_in(&lex.region_nouns, i + 1) || self.word_in(&lex.settlement_nouns, i + 1);
        let country_after = tokens.get(i + 1).is_some_and(|t| t.is_punct(","))
            && tokens
                .get(i + 2)
                .and_then(|t| self.g.get(t.text))
                .is_some_and(|c| matches!(c.level, PlaceLevel::Country | PlaceLevel::State));
        if strong_prep || before.after_settlement || noun_after || country_after {
            return true;
        }
        let first_word = tokens[..i].iter().all(|t| t.kind == Kind::Punct);
        let places = &lex.file.places;
        match e.level {
            PlaceLevel::State => e.population >= places.big_city,
            // a district's name alone is as likely a family's ("Harris")
            PlaceLevel::Region => false,
            _ => {
                (e.population >= places.small_city && !first_word)
                    || e.population >= places.big_city
            }
        }
    }

    /// "San Felice sul Panaro" is not the city "San", nor "Pescara del Tronto" Pescara: a
    /// name that goes on past a joining word is another place; and a small city's name that
    /// starts an institution's ("Sandy Hook Elementary School") is not a place.
    fn part_of_longer(&self, i: usize, k: &Known<'_>) -> bool {
        let (tokens, lex) = (self.tokens, self.lex);
        let run = capitalised_run(tokens, i, lex);
        let town_or_district = matches!(k.entry.level, PlaceLevel::City | PlaceLevel::Region);
        if !town_or_district || run <= k.n {
            return false;
        }
        let joined = tokens[i + k.n..i + run]
            .iter()
            .any(|t| lex.place_words.name_joiners.contains(t.lower.as_str()));
        let small = k.entry.population < lex.file.places.small_city;
        let institution = small
            && lex
                .not_place_heads
                .contains(tokens[i + run - 1].lower.as_str());
        // a big city's name goes on only into a region or a building ("Moscow Oblast"), so
        // the run is another place for every other place ("Sutherland Springs", whose
        // district is called Sutherland)
        let not_big = k.entry.population < lex.file.places.big_city;
        joined || institution || (not_big && self.name_goes_on(i + k.n))
    }

    /// True when the capitalised word at `k` goes on with the name before it ("Sutherland
    /// Springs" is not Sutherland): not a place, a day, a month, a country's adjective or
    /// an organisation's last word.
    fn name_goes_on(&self, k: usize) -> bool {
        let (t, lex) = (&self.tokens[k], self.lex);
        let w = t.lower.as_str();
        t.kind == Kind::Word
            && t.is_capitalised()
            && !lex.weekdays.contains_key(w)
            && !lex.months.contains_key(w)
            && !lex.organisation_heads.contains(w)
            && !lex.not_place_heads.contains(w)
            && !lex.region_nouns.contains(w)
            && !lex.settlement_nouns.contains(w)
            && self.g.demonym(t.text).is_none()
            && !self
                .g
                .get(t.text)
                .is_some_and(|e| matches!(e.level, PlaceLevel::Country | PlaceLevel::State))
    }

    /// "the Canterbury District Health Board said": a place opening an organisation's name
    /// says who speaks, not where. Where to go on from, when it does.
    fn organisation(&mut self, i: usize, k: &Known<'_>) -> Option<usize> {
        let run = capitalised_run(self.tokens, i, self.lex);
        let head = &self.tokens[(i + run).checked_sub(1)?];
        if run <= k.n || run > k.n + 4 || !self.lex.organisation_heads.contains(head.lower.as_str())
        {
            return None;
        }
        let place = self.g.place_ref(joined(self.tokens, i, i + k.n), &k.entry);
        self.mention(i, i + run, place, Role::Actor);
        Some(i + run)
    }

    /// A country's adjective ("Russian officials", "a Polish border village"): the country,
    /// as an actor or, before a noun of place, an adjective. True when there was one.
    fn demonym(&mut self, i: usize) -> bool {
        let t = &self.tokens[i];
        let Some(iso) = self.g.demonym(t.text) else {
            return false;
        };
        let Some(mut country) = self.g.country_ref(iso) else {
            return false;
        };
        let role = if self.word_in(&self.lex.location_nouns, i + 1) {
            Role::Adjective
        } else {
            Role::Actor
        };
        // the adjective stands for the country it names
        if let Some(name) = self.g.country_name(iso) {
            country.name = name.to_string();
        }
        self.mention(i, i + 1, country, role);
        true
    }

    /// A name the gazetteer does not know where a place is expected: "in Urazovo", "the
    /// Karrada district", "in Amatrice and Accumoli".
    fn unknown_name(&self, i: usize, before: &Before) -> Option<(usize, PlaceRef)> {
        let (tokens, lex) = (self.tokens, self.lex);
        let t = &tokens[i];
        let after_prep = before.prev.is_some_and(|p| {
            lex.place_prepositions.contains(tokens[p].lower.as_str())
                && !lex.weak_prepositions.contains(tokens[p].lower.as_str())
        });
        let len = name_run(tokens, i, lex);
        // "the Karrada district", "the Shaab neighborhood", "the Khyber tribal area"
        let noun_of_place =
            |k: usize| self.word_in(&lex.region_nouns, k) || self.word_in(&lex.settlement_nouns, k);
        let before_region = noun_of_place(i + len)
            || (tokens
                .get(i + len)
                .is_some_and(|w| w.kind == Kind::Word && !w.is_capitalised())
                && noun_of_place(i + len + 1));
        // "in a Shiite area", "in Yazidi villages": a word describing a place; "at Ataturk
        // airport": the name of a building
        let describes = i == 0
            || matches!(tokens[i - 1].lower.as_str(), "a" | "an")
            || tokens.get(i + len).is_some_and(|w| {
                (w.lower.ends_with('s') && lex.location_nouns.contains(w.lower.as_str()))
                    || lex.not_place_heads.contains(w.lower.as_str())
            });
        let head = tokens[i + len - 1].lower.as_str();
        let plausible = !describes
            && !lex.not_places.contains(t.lower.as_str())
            && !lex.not_place_heads.contains(head)
            && !lex.months.contains_key(t.lower.as_str())
            && !lex.weekdays.contains_key(t.lower.as_str())
            && (before.prev.is_some_and(|p| p + 1 == i)
                || (before_region && matches!(tokens[i - 1].lower.as_str(), "the" | "'s")));
        let context = after_prep || before.after_settlement || before_region || before.listed;
        if !(plausible && context && len <= 5) {
            return None;
        }
        let written = joined(tokens, i, i + len);
        Some((
            len,
            PlaceRef {
                canonical: written.clone(),
                name: written,
                level: PlaceLevel::Unknown,
                country: None,
                admin1: None,
            },
        ))
    }

    /// Past the capitalised words of a name that is not a place, but not past a place after
    /// it ("Blast on Boston metro"); one word past a capitalised preposition or article that
    /// opens a sentence ("In Pedernales, ...").
    fn past_name(&self, i: usize) -> usize {
        let t = &self.tokens[i];
        let opener = self.lex.place_prepositions.contains(t.lower.as_str())
            || matches!(t.lower.as_str(), "the" | "a" | "an");
        if opener {
            return i + 1;
        }
        i + self.tokens[i..]
            .iter()
            .take_while(|t| t.kind == Kind::Word && t.is_capitalised() && t.lower != "'s")
            .count()
            .max(1)
    }

    /// The words after a name that say more of the place: "X region", "X city", "Orlando,
    /// Florida". Where the mention ends, the place, and whether a state or country after it
    /// chose among places of its name.
    fn extend(&mut self, i: usize, n: usize, mut place: PlaceRef) -> (usize, PlaceRef, bool) {
        let (tokens, lex) = (self.tokens, self.lex);
        let mut end = i + n;
        // "the Texas Department of Public Safety" is an office, not a region
        let office = tokens.get(end).is_some_and(Token::is_capitalised)
            && tokens.get(end + 1).is_some_and(|t| t.lower == "of")
            && tokens.get(end + 2).is_some_and(Token::is_capitalised);
        if let Some(noun) = tokens.get(end)
            && lex.region_nouns.contains(noun.lower.as_str())
            && place.level != PlaceLevel::Country
            && !office
        {
            place = region_of(place, noun.text);
            end += 1;
            // "the Moscow, Bryansk and Kursk regions": each earlier name is a region too
            if noun.lower.ends_with('s') {
                self.earlier_are_regions(i);
            }
        } else if self.word_in(&lex.settlement_nouns, end) && place.level == PlaceLevel::City {
            end += 1; // "Belgorod city"
        }
        let mut placed = false;
        if tokens.get(end).is_some_and(|t| t.is_punct(","))
            && let Some((rn, outers)) = region_at(tokens, end + 1, self.g)
            && let Some(more) = self.told_more_precisely(i, n, &place, &outers)
        {
            place = more;
            end += 1 + rn;
            placed = true;
        }
        (end, place, placed)
    }

    fn earlier_are_regions(&mut self, i: usize) {
        for m in self.out.iter_mut().rev() {
            if m.end + 2 < i && !list_link(self.tokens, m.end, i) {
                break;
            }
            if m.place.level != PlaceLevel::Region && m.place.level != PlaceLevel::Country {
                m.place = region_of(m.place.clone(), "region");
            }
        }
    }

    /// "Orlando, Florida", "Buffalo, New York", "Belgorod, Russia": one place, told more
    /// precisely: the place of this name in that state or country ("Athens, Georgia"); an
    /// unknown town ("Newtown, Connecticut") takes the state's country.
    fn told_more_precisely(
        &self,
        i: usize,
        n: usize,
        place: &PlaceRef,
        outers: &[Entry<'_>],
    ) -> Option<PlaceRef> {
        // a district after a comma only picks among places of the name: "Sehwan, Dadu and
        // Larkana" is a list
        let region = outers
            .iter()
            .find(|o| matches!(o.level, PlaceLevel::Country | PlaceLevel::State));
        let unknown_in = |outer: &Entry<'_>| PlaceRef {
            canonical: place.name.clone(),
            name: place.name.clone(),
            level: PlaceLevel::Unknown,
            country: Some(outer.country.to_string()),
            admin1: (outer.level == PlaceLevel::State).then(|| outer.admin1.to_string()),
        };
        if place.level == PlaceLevel::Unknown && place.country.is_none() {
            return region.map(unknown_in);
        }
        if !matches!(place.level, PlaceLevel::City | PlaceLevel::Region) {
            return None;
        }
        let inside = |e: &Entry<'_>, outer: &Entry<'_>| {
            e.country == outer.country
                && match outer.level {
                    PlaceLevel::Country => true,
                    PlaceLevel::State => e.admin1 == outer.admin1,
                    _ => e.admin2 == outer.admin2,
                }
        };
        let written = joined(self.tokens, i, i + n);
        let pick = self.g.all(&written).into_iter().find(|e| {
            matches!(e.level, PlaceLevel::City | PlaceLevel::Region)
                && outers.iter().any(|o| inside(e, o))
        });
        match pick {
            Some(e) => Some(self.g.place_ref(place.name.clone(), &e)),
            // a town of that name the gazetteer does not know there
            None => region.map(unknown_in),
        }
    }

    fn role(&self, i: usize, end: usize, place: &PlaceRef, before: &Before) -> Role {
        let (tokens, lex) = (self.tokens, self.lex);
        let role = role_of(tokens, i, end, before.prev, before.after_settlement, lex);
        if role != Role::Weak || matches!(place.level, PlaceLevel::Country | PlaceLevel::State) {
            return role;
        }
        // "the bombing of the Minsk metro", "the attack on Paris": where the incident was (a
        // country after it is the target: "Moscow's bombardment of Ukraine")
        let incident_before = before.prev.filter(|&p| p + 2 >= i).is_some_and(|p| {
            matches!(tokens[p].lower.as_str(), "of" | "on")
                && (p.saturating_sub(3)..p)
                    .any(|j| lex.incidents.at(tokens, j).is_some_and(|(n, _)| j + n == p))
        });
        // "in Mirandola and Cavezzo" ("Newtown, Connecticut": the state says where the town
        // is, it is not listed)
        if incident_before || before.listed {
            Role::Location
        } else {
            role
        }
    }
}

/// The state, country or district named at `i` (its longest name, "New York" before
/// "New"): its length in tokens and the places of that name that are no town.
fn region_at<'g>(
    tokens: &[Token<'_>],
    i: usize,
    g: &'g Gazetteer,
) -> Option<(usize, Vec<Entry<'g>>)> {
    let first = tokens.get(i)?;
    if !first.is_capitalised() || first.kind != Kind::Word {
        return None;
    }
    let mut name = String::new();
    let mut found = None;
    let mut n = 0;
    while let Some(w) = tokens.get(i + n)
        && w.kind == Kind::Word
    {
        if n > 0 {
            name.push(' ');
        }
        name.push_str(w.text);
        n += 1;
        let regions: Vec<Entry<'g>> = g
            .all(&name)
            .into_iter()
            .filter(|e| e.level != PlaceLevel::City)
            .collect();
        if !regions.is_empty() {
            found = Some((n, regions));
        }
        if !g.has_longer(&name) {
            break;
        }
    }
    found
}

/// True when only list punctuation and "and" stand between `from` and `to`.
fn list_link(tokens: &[Token<'_>], from: usize, to: usize) -> bool {
    tokens[from..to]
        .iter()
        .all(|t| t.is_punct(",") || t.lower == "and" || t.lower == "the")
}

/// "X region": the region of a town's name; a division the gazetteer knows stays itself.
fn region_of(place: PlaceRef, noun: &str) -> PlaceRef {
    let noun = noun.to_lowercase();
    let noun = noun.trim_end_matches('s');
    if matches!(place.level, PlaceLevel::State | PlaceLevel::Region) {
        return PlaceRef {
            name: format!("{} {noun}", place.name),
            ..place
        };
    }
    let level = if place.level == PlaceLevel::Unknown {
        PlaceLevel::Unknown
    } else {
        PlaceLevel::Region
    };
    PlaceRef {
        name: format!("{} {noun}", place.name),
        canonical: format!("{} {noun}", place.canonical),
        level,
        ..place
    }
}

fn joined(tokens: &[Token<'_>], from: usize, to: usize) -> String {
    let mut s = String::new();
    for t in &tokens[from..to] {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

/// The words of one unknown name at `i`: a capitalised run that does not go on past "and".
fn name_run(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> usize {
    let run = capitalised_run(tokens, i, lex);
    tokens[i..i + run]
        .iter()
        .skip(1)
        .position(|t| t.lower == "and")
        .map_or(run, |k| k + 1)
}

fn capitalised_run(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> usize {
    let mut n = 0;
    while let Some(t) = tokens.get(i + n) {
        // "Stratford upon Avon", but not "Sutherland Springs on Sunday"
        let connector = n > 0
            && lex.place_words.connectors.contains(t.lower.as_str())
            && tokens.get(i + n + 1).is_some_and(|w| {
                w.is_capitalised()
                    && !lex.weekdays.contains_key(w.lower.as_str())
                    && !lex.months.contains_key(w.lower.as_str())
            });
        if t.kind == Kind::Word && t.lower != "'s" && (t.is_capitalised() || connector) {
            n += 1;
        } else {
            break;
        }
    }
    n
}

/// The index of the word before `i`, skipping "the".
fn previous_word(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let mut j = i.checked_sub(1)?;
    while tokens[j].lower == "the" || tokens[j].is_punct("'") {
        j = j.checked_sub(1)?;
    }
    (tokens[j].kind == Kind::Word).then_some(j)
}

#[cfg(test)]
mod tests;
