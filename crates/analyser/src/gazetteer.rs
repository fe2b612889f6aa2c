//! The gazetteer: countries, US states and cities from GeoNames (see
//! `scripts/gazetteer.py`), looked up by name, and how places contain each other.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use corpus::{PlaceLevel, PlaceRef};

use crate::lexicon::PlacesSpec;

/// One gazetteer entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub canonical: String,
    pub level: PlaceLevel,
    pub country: String,
    pub admin1: String,
    pub population: u64,
    /// True when the name is the place's own name rather than another spelling.
    own_name: bool,
}

impl Entry {
    fn rank(&self) -> (u8, bool, u64) {
        let level = match self.level {
            PlaceLevel::Country => 3,
            PlaceLevel::State => 2,
            _ => 1,
        };
        (level, self.own_name, self.population)
    }
}

/// Place names, looked up by the words of a text.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    by_name: HashMap<String, Entry>,
    /// Every place of a name shared by several ("Athens" in Greece and in Georgia, US),
    /// the one `by_name` keeps included: the state or country named with it picks one.
    shared_names: HashMap<String, Vec<Entry>>,
    pub(crate) by_lower: HashMap<String, String>,
    country_names: HashMap<String, String>,
    demonyms: HashMap<String, String>,
    /// First words of names of several words ("New" of "New York").
    pub(crate) first_words: HashSet<String>,
    pub(crate) max_words: usize,
}

impl Gazetteer {
    /// Reads the gazetteer's TSV lines and the place knowledge of the lexicon.
    pub fn parse(tsv: &str, spec: &PlacesSpec) -> Result<Gazetteer, String> {
        let mut g = Gazetteer::default();
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, canonical, level, country, admin1, population] = cols[..] else {
                return Err(format!("line {}: expected 6 tab-separated columns", n + 1));
            };
            let level = match level {
                "country" => PlaceLevel::Country,
                "state" => PlaceLevel::State,
                "city" => PlaceLevel::City,
                other => return Err(format!("line {}: unknown level {other:?}", n + 1)),
            };
            let entry = Entry {
                canonical: if canonical.is_empty() {
                    name
                } else {
                    canonical
                }
                .to_string(),
                level,
                country: country.to_string(),
                admin1: admin1.to_string(),
                population: population.parse().unwrap_or(0),
                own_name: canonical.is_empty(),
            };
            if level == PlaceLevel::Country {
                g.country_names
                    .insert(country.to_string(), entry.canonical.clone());
            }
            g.add(name, entry);
        }
        for (alias, country) in &spec.aliases {
            let entry = g
                .by_name
                .get(country)
                .cloned()
                .ok_or_else(|| format!("alias {alias:?}: no place named {country:?}"))?;
            g.add(
                alias,
                Entry {
                    own_name: true,
                    ..entry
                },
            );
        }
        for (adjective, country) in &spec.demonyms {
            let entry = g
                .by_name
                .get(country)
                .ok_or_else(|| format!("demonym {adjective:?}: no place named {country:?}"))?;
            g.demonyms.insert(adjective.clone(), entry.country.clone());
        }
        Ok(g)
    }

    fn add(&mut self, name: &str, entry: Entry) {
        let words = name.split_whitespace().count();
        self.max_words = self.max_words.max(words);
        if words > 1
            && let Some(first) = name.split_whitespace().next()
        {
            self.first_words.insert(first.to_string());
        }
        if name.chars().count() >= 4 {
            self.by_lower
                .entry(name.to_lowercase())
                .or_insert_with(|| name.to_string());
        }
        match self.by_name.get(name) {
            Some(old) => {
                let shared = self
                    .shared_names
                    .entry(name.to_string())
                    .or_insert_with(|| vec![old.clone()]);
                shared.push(entry.clone());
                if old.rank() < entry.rank() {
                    self.by_name.insert(name.to_string(), entry);
                }
            }
            None => {
                self.by_name.insert(name.to_string(), entry);
            }
        }
    }

    /// Every place called `name`: the one [`Gazetteer::get`] gives, and the others.
    pub(crate) fn all(&self, name: &str) -> Vec<&Entry> {
        match self.shared_names.get(name) {
            Some(list) => list.iter().collect(),
            None => self.by_name.get(name).into_iter().collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.by_name.get(name)
    }

    /// The country of an ISO code, by name.
    pub fn country_name(&self, iso: &str) -> Option<&str> {
        self.country_names.get(iso).map(String::as_str)
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
                .country_names
                .iter()
                .filter(|(_, name)| name.starts_with(stem));
            if let (Some((iso, _)), None) = (found.next(), found.next()) {
                return Some(iso);
            }
        }
        None
    }

    pub(crate) fn place_ref(&self, written: String, entry: &Entry) -> PlaceRef {
        PlaceRef {
            name: written,
            canonical: entry.canonical.clone(),
            level: entry.level,
            country: (!entry.country.is_empty()).then(|| entry.country.clone()),
            admin1: (!entry.admin1.is_empty()).then(|| entry.admin1.clone()),
        }
    }

    pub fn country_ref(&self, iso: &str) -> Option<PlaceRef> {
        let name = self.country_name(iso)?;
        let entry = self.get(name)?;
        Some(self.place_ref(name.to_string(), entry))
    }
}

/// True when a place `p` is, or lies within, place `q` (as far as the gazetteer knows).
pub fn within(p: &PlaceRef, q: &PlaceRef) -> bool {
    if p.canonical == q.canonical {
        return true;
    }
    let same_country = p.country.is_some() && p.country == q.country;
    match q.level {
        PlaceLevel::Country => same_country,
        PlaceLevel::State | PlaceLevel::Region => {
            same_country
                && p.level == PlaceLevel::City
                && p.admin1.is_some()
                && p.admin1 == q.admin1
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
