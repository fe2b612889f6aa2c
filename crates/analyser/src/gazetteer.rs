//! The gazetteer: every country, its first- and second-level divisions and every town of
//! 1,000 people or more (GeoNames, see `scripts/gazetteer.py`), with the territories and the
//! other names the lexicon adds; looked up by name, and how places contain each other.
//!
//! The file's text is kept as it is and the places point into it: one `Vec` of places
//! sorted by name and one of other names, both searched by halves, so that loading is one
//! pass over the lines and holds little more than the text.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use corpus::{PlaceLevel, PlaceRef};

use crate::lexicon::PlacesSpec;

/// A place's number: its line among the gazetteer's places, then the lexicon's territories.
pub type PlaceId = u32;

/// What kind of place a line of the gazetteer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Admin1,
    Admin2,
    City,
    /// A territory named in the lexicon ("Donbas"): a region of its country.
    Territory,
}

/// A piece of text: of the gazetteer's file, or (`EXTRA` set) of the lexicon's names.
#[derive(Debug, Clone, Copy)]
struct Text {
    start: u32,
    len: u32,
}

const EXTRA: u32 = 1 << 31;
const NO_PARENT: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Place {
    name: Text,
    /// The place it lies in (`NO_PARENT` for a country).
    parent: u32,
    population: u32,
    kind: Kind,
    country: [u8; 2],
    /// Its name is a common word: not looked up by it.
    word: bool,
}

/// Another name of some places ("Kiev" of Kyiv): `count` place numbers from `first` in `ids`.
#[derive(Debug, Clone, Copy)]
struct OtherName {
    name: Text,
    first: u32,
    count: u32,
    /// Named in the lexicon: chosen before the places the gazetteer gives the name.
    chosen: bool,
}

/// One place, as a lookup gives it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'g> {
    pub id: PlaceId,
    pub canonical: &'g str,
    pub level: PlaceLevel,
    pub country: &'g str,
    /// The name of its first-level division (its own, for a division of the first level).
    pub admin1: &'g str,
    /// The name of its second-level division (its own, for one of the second level).
    pub admin2: &'g str,
    pub population: u64,
    /// The lexicon names it for this name ("Gaza" is the Gaza Strip).
    chosen: bool,
}

/// Place names, looked up by the words of a text.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    text: Cow<'static, str>,
    extra: String,
    places: Vec<Place>,
    /// How many of `places` are the file's, sorted by name (the lexicon's come after).
    sorted: usize,
    others: Vec<OtherName>,
    ids: Vec<PlaceId>,
    countries: HashMap<[u8; 2], PlaceId>,
    demonyms: HashMap<String, String>,
}

/// A place's line after its name: `level, parent, population[, word]`; and the ISO code of
/// a country.
fn place_line(name: Text, rest: &str) -> Result<(Place, Option<[u8; 2]>), String> {
    let mut cols = rest.split('\t');
    let (Some(kind), Some(parent), Some(population)) = (cols.next(), cols.next(), cols.next())
    else {
        return Err("expected 4 tab-separated columns".into());
    };
    // a division named by a common word ("Central") is not looked up by it
    let word = match cols.next() {
        None => false,
        Some("word") => true,
        Some(other) => return Err(format!("unknown mark {other:?}")),
    };
    let kind = match kind {
        "country" => Kind::Country,
        "admin1" => Kind::Admin1,
        "admin2" => Kind::Admin2,
        "city" => Kind::City,
        other => return Err(format!("unknown level {other:?}")),
    };
    let (parent, iso) = if kind == Kind::Country {
        let iso: [u8; 2] = parent
            .as_bytes()
            .try_into()
            .map_err(|_| "a country's parent is its ISO code".to_string())?;
        (NO_PARENT, Some(iso))
    } else {
        (parent.parse().map_err(|_| "bad parent".to_string())?, None)
    };
    let place = Place {
        name,
        parent,
        population: population
            .parse()
            .map_err(|_| "bad population".to_string())?,
        kind,
        country: iso.unwrap_or_default(),
        word,
    };
    Ok((place, iso))
}

impl Gazetteer {
    /// Reads the gazetteer's text (`scripts/gazetteer.py`'s format) and the place knowledge
    /// of the lexicon: territories, other names, adjectives of countries.
    pub fn parse(
        tsv: impl Into<Cow<'static, str>>,
        spec: &PlacesSpec,
    ) -> Result<Gazetteer, String> {
        let mut g = Gazetteer {
            text: tsv.into(),
            ..Gazetteer::default()
        };
        g.read_lines()?;
        g.add_lexicon(spec)?;
        let mut others = std::mem::take(&mut g.others);
        others.sort_by(|a, b| g.str(a.name).cmp(g.str(b.name)));
        g.others = others;
        Ok(g)
    }

    /// The places and other names of the file.
    fn read_lines(&mut self) -> Result<(), String> {
        let text: &str = &self.text;
        let base = text.as_ptr() as usize;
        let span = |s: &str| Text {
            start: (s.as_ptr() as usize - base) as u32,
            len: s.len() as u32,
        };
        let mut in_names = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line == "%names" {
                in_names = true;
                continue;
            }
            let bad = |what: &str| format!("line {}: {what}", n + 1);
            let (name, rest) = line
                .split_once('\t')
                .ok_or_else(|| bad("expected columns"))?;
            if in_names {
                let first = self.ids.len() as u32;
                for id in rest.split(',') {
                    self.ids
                        .push(id.parse().map_err(|_| bad("bad place number"))?);
                }
                self.others.push(OtherName {
                    name: span(name),
                    first,
                    count: self.ids.len() as u32 - first,
                    chosen: false,
                });
                continue;
            }
            if let Some(last) = self.places.last()
                && Self::text_of(text, &self.extra, last.name) > name
            {
                return Err(bad("places must be sorted by name"));
            }
            let (place, iso) = place_line(span(name), rest).map_err(|e| bad(&e))?;
            if let Some(iso) = iso {
                self.countries.insert(iso, self.places.len() as u32);
            }
            self.places.push(place);
        }
        self.sorted = self.places.len();
        self.link_countries()
    }

    /// Gives every place its country, from the place it lies in.
    fn link_countries(&mut self) -> Result<(), String> {
        for i in 0..self.places.len() {
            let mut at = i;
            for _ in 0..4 {
                let p = self.places[at];
                if p.kind == Kind::Country {
                    self.places[i].country = p.country;
                    break;
                }
                if p.parent as usize >= self.places.len() {
                    return Err(format!("place {i}: no place numbered {}", p.parent));
                }
                at = p.parent as usize;
            }
        }
        Ok(())
    }

    /// The lexicon's territories, other names and adjectives of countries.
    fn add_lexicon(&mut self, spec: &PlacesSpec) -> Result<(), String> {
        for (territory, country) in &spec.territories {
            let parent = self
                .get(country)
                .filter(|e| e.level == PlaceLevel::Country)
                .map(|e| e.id)
                .ok_or_else(|| format!("territory {territory:?}: no country named {country:?}"))?;
            let name = self.add_text(territory);
            let id = self.places.len() as PlaceId;
            self.places.push(Place {
                name,
                parent,
                population: 0,
                kind: Kind::Territory,
                country: self.places[parent as usize].country,
                word: false,
            });
            self.add_other(name, id);
        }
        for (alias, target) in &spec.aliases {
            let id = self
                .get(target)
                .map(|e| e.id)
                .ok_or_else(|| format!("alias {alias:?}: no place named {target:?}"))?;
            let name = self.add_text(alias);
            self.add_other(name, id);
        }
        for (adjective, country) in &spec.demonyms {
            let entry = self
                .get(country)
                .ok_or_else(|| format!("demonym {adjective:?}: no place named {country:?}"))?;
            let iso = entry.country.to_string();
            self.demonyms.insert(adjective.clone(), iso);
        }
        Ok(())
    }

    fn add_text(&mut self, s: &str) -> Text {
        let start = self.extra.len() as u32 | EXTRA;
        self.extra.push_str(s);
        Text {
            start,
            len: s.len() as u32,
        }
    }

    fn add_other(&mut self, name: Text, id: PlaceId) {
        self.others.push(OtherName {
            name,
            first: self.ids.len() as u32,
            count: 1,
            chosen: true,
        });
        self.ids.push(id);
    }

    fn text_of<'a>(text: &'a str, extra: &'a str, t: Text) -> &'a str {
        let (s, start) = if t.start & EXTRA != 0 {
            (extra, t.start & !EXTRA)
        } else {
            (text, t.start)
        };
        &s[start as usize..(start + t.len) as usize]
    }

    fn str(&self, t: Text) -> &str {
        Self::text_of(&self.text, &self.extra, t)
    }

    /// The places of a name, each with whether the lexicon chose it for that name.
    fn candidates(&self, name: &str) -> Vec<(PlaceId, bool)> {
        let file = &self.places[..self.sorted];
        let from = file.partition_point(|p| self.str(p.name) < name);
        let mut found: Vec<(PlaceId, bool)> = (from..self.sorted)
            .take_while(|&i| self.str(file[i].name) == name)
            .filter(|&i| !file[i].word)
            .map(|i| (i as PlaceId, false))
            .collect();
        let from = self.others.partition_point(|o| self.str(o.name) < name);
        for o in self.others[from..]
            .iter()
            .take_while(|o| self.str(o.name) == name)
        {
            let ids = &self.ids[o.first as usize..(o.first + o.count) as usize];
            for &id in ids {
                match found.iter_mut().find(|(f, _)| *f == id) {
                    Some(f) => f.1 |= o.chosen,
                    None => found.push((id, o.chosen)),
                }
            }
        }
        found
    }

    /// True when some name goes on from `prefix` with another word ("New" of "New York").
    pub fn has_longer(&self, prefix: &str) -> bool {
        let longer = format!("{prefix} ");
        let file = &self.places[..self.sorted];
        let at = file.partition_point(|p| self.str(p.name) < longer.as_str());
        if file
            .get(at)
            .is_some_and(|p| self.str(p.name).starts_with(&longer))
        {
            return true;
        }
        let at = self
            .others
            .partition_point(|o| self.str(o.name) < longer.as_str());
        self.others
            .get(at)
            .is_some_and(|o| self.str(o.name).starts_with(&longer))
    }

    fn entry(&self, id: PlaceId, chosen: bool) -> Entry<'_> {
        let p = &self.places[id as usize];
        let name = self.str(p.name);
        let parent = |q: &Place| (q.parent != NO_PARENT).then(|| &self.places[q.parent as usize]);
        let (admin1, admin2) = match p.kind {
            Kind::Admin1 => (name, ""),
            Kind::Admin2 => (parent(p).map_or("", |q| self.str(q.name)), name),
            Kind::City => match parent(p) {
                Some(q) if q.kind == Kind::Admin2 => {
                    (parent(q).map_or("", |r| self.str(r.name)), self.str(q.name))
                }
                Some(q) if q.kind == Kind::Admin1 => (self.str(q.name), ""),
                _ => ("", ""),
            },
            Kind::Country | Kind::Territory => ("", ""),
        };
        Entry {
            id,
            canonical: name,
            level: match p.kind {
                Kind::Country => PlaceLevel::Country,
                Kind::Admin1 => PlaceLevel::State,
                Kind::Admin2 | Kind::Territory => PlaceLevel::Region,
                Kind::City => PlaceLevel::City,
            },
            country: std::str::from_utf8(&p.country).unwrap_or_default(),
            admin1,
            admin2,
            population: u64::from(p.population),
            chosen,
        }
    }

    /// Every place called `name`, the one [`Gazetteer::get`] gives first.
    pub(crate) fn all(&self, name: &str) -> Vec<Entry<'_>> {
        let mut all: Vec<Entry<'_>> = self
            .candidates(name)
            .into_iter()
            .map(|(id, chosen)| self.entry(id, chosen))
            .collect();
        // a division that a town of its name lies in is, by that name, the town ("Moscow")
        let towns: Vec<Entry<'_>> = all
            .iter()
            .filter(|e| e.level == PlaceLevel::City)
            .copied()
            .collect();
        let named_for_town = |e: &Entry<'_>| {
            // (and holds a fifth of its people: "Bihar" is the state, not Bihar Sharif)
            let holds = |t: &Entry<'_>| {
                t.country == e.country
                    && t.admin1 == e.admin1
                    && (e.level == PlaceLevel::State || t.admin2 == e.admin2 || t.admin2.is_empty())
                    && t.population * 5 >= e.population
            };
            matches!(e.level, PlaceLevel::State | PlaceLevel::Region) && towns.iter().any(holds)
        };
        all.sort_by_key(|e| {
            (
                std::cmp::Reverse(e.level == PlaceLevel::Country),
                std::cmp::Reverse(e.chosen),
                named_for_town(e),
                std::cmp::Reverse(e.population),
                std::cmp::Reverse(e.canonical == name),
                e.id,
            )
        });
        all
    }

    /// The place a name most likely means: a country, the lexicon's choice, else the most
    /// populous place of that name (a town before the division named after it).
    pub fn get(&self, name: &str) -> Option<Entry<'_>> {
        self.all(name).into_iter().next()
    }

    /// A known name written in lower case ("the capital kyiv"), by its capitalised form.
    pub fn get_lower(&self, word: &str) -> Option<Entry<'_>> {
        let mut chars = word.chars();
        let first = chars.next()?;
        let name: String = first.to_uppercase().chain(chars).collect();
        (word.chars().count() >= 4)
            .then(|| self.get(&name))
            .flatten()
    }

    /// The country of an ISO code, by name.
    pub fn country_name(&self, iso: &str) -> Option<&str> {
        let iso: [u8; 2] = iso.as_bytes().try_into().ok()?;
        let id = self.countries.get(&iso)?;
        Some(self.str(self.places[*id as usize].name))
    }

    /// The country an adjective names ("Polish" -> PL), from the lexicon's list or by the
    /// regular endings ("Ukrainian" -> Ukraine).
    pub fn demonym(&self, word: &str) -> Option<&str> {
        if let Some(iso) = self.demonyms.get(word) {
            return Some(iso);
        }
        if word.len() < 5 || !word.starts_with(char::is_uppercase) {
            return None;
        }
        for suffix in ["ian", "ean", "an", "ish", "ese", "i"] {
            let Some(stem) = word.strip_suffix(suffix) else {
                continue;
            };
            if stem.chars().count() < 4 {
                continue;
            }
            let mut found = self
                .countries
                .values()
                .map(|&id| &self.places[id as usize])
                .filter(|p| self.str(p.name).starts_with(stem));
            if let (Some(p), None) = (found.next(), found.next()) {
                return std::str::from_utf8(&p.country).ok();
            }
        }
        None
    }

    pub(crate) fn place_ref(&self, written: String, entry: &Entry<'_>) -> PlaceRef {
        PlaceRef {
            name: written,
            canonical: entry.canonical.to_string(),
            level: entry.level,
            country: (!entry.country.is_empty()).then(|| entry.country.to_string()),
            admin1: (!entry.admin1.is_empty()).then(|| entry.admin1.to_string()),
        }
    }

    pub fn country_ref(&self, iso: &str) -> Option<PlaceRef> {
        let name = self.country_name(iso)?;
        let entry = self.get(name)?;
        Some(self.place_ref(name.to_string(), &entry))
    }

    /// A place as a reader finds it: its name, then what it lies in, the way addresses are
    /// written ("Reuleuet, Pidie Jaya, Aceh, Indonesia", "Paris, Lamar County, Texas, United
    /// States"), so that places of one name are told apart and a place is found at any level.
    /// A country, and a place as big as `big` (by its people, or its towns'), stand alone
    /// ("Paris", "Baghdad", "Texas").
    pub fn describe(&self, p: &PlaceRef, big: u64) -> String {
        let known = self.all(&p.canonical).into_iter().find(|e| {
            e.level == p.level
                && Some(e.country) == p.country.as_deref()
                && (e.admin1.is_empty() || Some(e.admin1) == p.admin1.as_deref())
        });
        if p.level == PlaceLevel::Country || known.is_some_and(|e| e.population >= big) {
            return p.name.clone();
        }
        let mut parts: Vec<&str> = vec![&p.name];
        // a town's second-level division, when the place is one town
        if let Some(e) = known
            && e.level == PlaceLevel::City
            && !p.name.contains(" and ")
        {
            parts.push(e.admin2);
        }
        // a region named after a town ("the Belgorod region") is that town's division
        let named_after_town = p.level == PlaceLevel::Region && known.is_none();
        if p.level != PlaceLevel::State && !named_after_town {
            parts.extend(p.admin1.as_deref());
        }
        parts.extend(p.country.as_deref().and_then(|iso| self.country_name(iso)));
        // a division named after the place adds nothing ("Belgorod, Belgorod Oblast")
        let first_word = |s: &str| {
            s.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase()
        };
        let mut out: Vec<&str> = Vec::new();
        for part in parts {
            let echo = out.iter().any(|o| {
                let w = first_word(o);
                o.eq_ignore_ascii_case(part)
                    || (w.chars().count() >= 4 && part.to_lowercase().starts_with(&w))
            });
            if !part.is_empty() && !echo {
                out.push(part);
            }
        }
        out.join(", ")
    }
}

/// True when two locations name one place, one of them maybe told with what it lies in
/// ("Belgorod" and "Belgorod, Belgorod Oblast, Russia"; not "Belgorod region").
pub fn same_place(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.get(..short.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(short))
        && (long.len() == short.len() || long[short.len()..].starts_with(", "))
}

/// True when a place `p` is, or lies within, place `q` (as far as the gazetteer knows).
pub fn within(p: &PlaceRef, q: &PlaceRef) -> bool {
    // (Paris, Texas is not Paris, France)
    let other_country = p.country.is_some() && q.country.is_some() && p.country != q.country;
    if p.canonical == q.canonical {
        return !other_country
            && (p.admin1.is_none() || q.admin1.is_none() || p.admin1 == q.admin1);
    }
    let same_country = p.country.is_some() && p.country == q.country;
    match q.level {
        PlaceLevel::Country => same_country,
        PlaceLevel::State | PlaceLevel::Region => {
            let inner = match q.level {
                PlaceLevel::State => matches!(p.level, PlaceLevel::City | PlaceLevel::Region),
                _ => p.level == PlaceLevel::City,
            };
            same_country && inner && p.admin1.is_some() && p.admin1 == q.admin1
        }
        _ => false,
    }
}

/// The place a list of places names together: their common country when they are several
/// places of one country ("the Moscow, Bryansk, Orel and Kursk regions" is Russia).
pub fn common_country(places: &[&PlaceRef], g: &Gazetteer) -> Option<PlaceRef> {
    let first = places.first()?.country.as_ref()?;
    if places.len() < 2 || places.iter().any(|p| p.country.as_ref() != Some(first)) {
        return None;
    }
    g.country_ref(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    /// A small gazetteer in the file's format: a town of a district of a province, two towns
    /// of one name, an other name, a division named by a common word.
    const TSV: &str = "# test\n\
        Aceh\tadmin1\t4\t2000000\n\
        Central\tadmin1\t4\t300000\tword\n\
        Gaza\tcity\t3\t410000\n\
        Gaza Strip\tadmin1\t5\t1300000\n\
        Indonesia\tcountry\tID\t260000000\n\
        Palestinian Territory\tcountry\tPS\t4500000\n\
        Pidie Jaya\tadmin2\t0\t40000\n\
        Reuleuet\tcity\t6\t40000\n\
        Reuleuet\tcity\t1\t2000\n\
        %names\n\
        Reuleut\t7\n";

    fn gazetteer() -> Gazetteer {
        let lex = Lexicon::shared();
        let mut spec = lex.file.places.clone();
        spec.aliases.clear();
        spec.demonyms.clear();
        spec.territories = [("Donbas".to_string(), "Indonesia".to_string())].into();
        Gazetteer::parse(TSV, &spec).expect("valid")
    }

    #[test]
    fn places_and_what_they_lie_in() {
        let g = gazetteer();
        let e = g.get("Reuleut").expect("an other name");
        assert_eq!(
            (e.canonical, e.level, e.country, e.admin1, e.admin2),
            ("Reuleuet", PlaceLevel::City, "ID", "Aceh", "Pidie Jaya")
        );
        // of two towns of one name, the most populous first
        assert_eq!(g.all("Reuleuet").len(), 2);
        assert_eq!(g.get("Reuleuet").map(|e| e.population), Some(40000));
        // a division named by a common word is not looked up by it
        assert!(g.get("Central").is_none());
        // the lexicon's territories are places of their own
        let d = g.get("Donbas").expect("a territory");
        assert_eq!((d.level, d.country), (PlaceLevel::Region, "ID"));
        assert!(g.has_longer("Pidie") && !g.has_longer("Reuleuet"));
    }

    #[test]
    fn a_location_tells_what_a_place_lies_in() {
        let g = gazetteer();
        let e = g.get("Reuleuet").expect("known");
        let town = g.place_ref("Reuleuet".into(), &e);
        assert_eq!(
            g.describe(&town, 500_000),
            "Reuleuet, Pidie Jaya, Aceh, Indonesia"
        );
        // a big place stands alone
        let gaza = g.get("Gaza").expect("known");
        assert_eq!(
            g.describe(&g.place_ref("Gaza".into(), &gaza), 400_000),
            "Gaza"
        );
        assert!(same_place(
            "Reuleuet",
            "reuleuet, Pidie Jaya, Aceh, Indonesia"
        ));
        assert!(!same_place("Reuleuet", "Reuleuet region, Indonesia"));
    }

    #[test]
    fn two_places_of_one_name_are_two_places() {
        let g = gazetteer();
        let all = g.all("Reuleuet");
        let a = g.place_ref("Reuleuet".into(), &all[0]);
        let mut b = a.clone();
        b.country = Some("PS".into());
        assert!(within(&a, &a) && !within(&a, &b));
        let aceh = g.place_ref("Aceh".into(), &g.get("Aceh").expect("known"));
        assert!(within(&a, &aceh) && !within(&aceh, &a));
    }

    #[test]
    fn a_bad_gazetteer_is_refused() {
        let spec = &Lexicon::shared().file.places;
        for (bad, says) in [
            ("B\tcity\t0\t1\nA\tcountry\tXX\t1\n", "sorted"),
            ("A\ttown\t0\t1\n", "unknown level"),
            ("A\tcity\t7\t1\n", "no place numbered"),
        ] {
            let err = Gazetteer::parse(bad, spec).expect_err(bad);
            assert!(err.contains(says), "{err}");
        }
    }
}
