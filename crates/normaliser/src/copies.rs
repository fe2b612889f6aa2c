//! Syndicated copies: articles whose text is mostly the same (one wire story run by several
//! outlets, whole or cut) share a copy group, so that the analyser counts them once.
//!
//! Each article gets a signature: a consistent sample of its five-word shingles (those
//! whose hash falls in one bucket of [`SAMPLE_MODULUS`]; in Chinese or Japanese a character
//! is a word), kept in the normaliser's state.
//! Two articles are copies when most of the shorter one's sampled shingles are in the other
//! ([`CONTAINMENT`]) and at least [`MIN_RARE_SHARED`] of those they share are not stock
//! phrases, or when their kept texts are identical. A stock phrase is a sampled shingle held
//! by more than [`STOCK_HOLDERS`] articles (a standing line, a formula of the trade: "the
//! health ministry said on"): shared by unrelated texts, it is no sign of copying on its
//! own, and its list of holders is never walked. An inverted index over the samples finds
//! the candidates for a new or changed article through its other samples, so a run compares
//! only what changed, never the whole corpus pairwise, and each article costs at most
//! [`STOCK_HOLDERS`] candidates per sample however large the corpus (a relation in which
//! every shared sample counted would make a corpus of n articles about a few topics cost n²).
//! When a shingle becomes a stock phrase (or stops being one), the links of its holders are
//! checked again (or their copies looked for again), so the groups stay those of the relation
//! over the corpus as it is. Groups are the connected components of the
//! copy relation, named after their smallest article id: the same corpus always gives the
//! same groups, whatever order the articles came in.
//!
//! Only enough of the relation to connect each group is kept: an arriving article links to
//! one copy in each group it joins (so a group of n copies keeps n - 1 links, not the
//! n(n - 1)/2 pairs of a wire story run everywhere), and candidates already in its group are
//! skipped without being compared. When an article leaves or changes, its links go; if
//! that splits its group, the pieces are joined again wherever some of their articles are
//! still copies (found through the index), and stay apart where none are.

use std::collections::{BTreeMap, HashMap, HashSet};

use corpus::ArticleId;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;
/// One shingle in this many is sampled (those whose hash is 0 modulo it).
pub const SAMPLE_MODULUS: u64 = 4;
/// Share of the shorter article's samples found in the other that makes two copies.
pub const CONTAINMENT: f64 = 0.5;
/// Articles with fewer samples than this (about 30 words) are copies only when identical.
pub const MIN_SAMPLES: usize = 8;
/// A sampled shingle held by more articles than this is a stock phrase: it counts in the
/// share two copies have in common, but two articles that share only stock phrases are not
/// copies, and its holders are not candidates through it. Large enough for a wire story run
/// by a thousand outlets (its own shingles stay evidence), small enough that no sample's list
/// grows with the corpus.
pub const STOCK_HOLDERS: usize = 1000;
/// Copies (other than identical texts) share at least this many samples that are not stock
/// phrases. Below [`STOCK_HOLDERS`] articles it is always so (copies share at least four).
pub const MIN_RARE_SHARED: u32 = 2;
/// Names the signature and link method; a state made another way is made again (v3: each
/// article keeps only the links that join its group, not every copy).
pub const METHOD: &str = "fnv-words-xxh3-shingle5-mod4-v3";

/// A signature and the copy links of one article, as stored in the normaliser's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// SHA-256 of the kept text the samples were taken from.
    pub text_sha256: String,
    /// The sampled shingle hashes (upper 32 bits), sorted, as hex.
    pub samples: String,
}

impl Signature {
    /// The signature of an article's kept text.
    pub fn of(text: &str, text_sha256: &str) -> Signature {
        let samples = sample_hashes(text);
        let mut hex = String::with_capacity(samples.len() * 8);
        for s in samples {
            hex.push_str(&format!("{s:08x}"));
        }
        Signature {
            text_sha256: text_sha256.to_string(),
            samples: hex,
        }
    }

    fn hashes(&self) -> Vec<u32> {
        self.samples
            .as_bytes()
            .chunks(8)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .filter_map(|c| u32::from_str_radix(c, 16).ok())
            .collect()
    }
}

/// The sampled shingle hashes of a text (words as [`text::word_hashes`] finds them).
pub fn sample_hashes(text: &str) -> Vec<u32> {
    let words = crate::text::word_hashes(text);
    let mut bytes = Vec::with_capacity(SHINGLE_WORDS * 8);
    let mut out: Vec<u32> = words
        .windows(SHINGLE_WORDS)
        .map(|shingle| {
            bytes.clear();
            for w in shingle {
                bytes.extend_from_slice(&w.to_le_bytes());
            }
            xxh3_64(&bytes)
        })
        .filter(|h| h % SAMPLE_MODULUS == 0)
        .map(|h| (h >> 32) as u32)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The copy groups over a corpus, kept up to date one article at a time.
///
/// Articles live in slots (positions in the vectors below, never reused within a run);
/// every slot belongs to exactly one component, and each component's kept links join all
/// of its articles.
#[derive(Debug)]
pub struct CopyIndex {
    slots: HashMap<ArticleId, u32>,
    articles: Vec<Option<Indexed>>,
    postings: HashMap<u32, Vec<u32>>,
    by_text: HashMap<String, Vec<u32>>,
    /// The kept links, both ways.
    links: Vec<Vec<u32>>,
    components: Components,
    /// Samples each slot shares with the article being placed (zero between articles).
    shared: Vec<u32>,
    /// [`STOCK_HOLDERS`] (smaller in tests).
    stock_holders: usize,
}

impl Default for CopyIndex {
    fn default() -> CopyIndex {
        CopyIndex::with_stock_holders(STOCK_HOLDERS)
    }
}

#[derive(Debug)]
struct Indexed {
    id: ArticleId,
    signature: Signature,
    hashes: Vec<u32>,
}

/// Which component each slot is in, and each component's slots.
#[derive(Debug, Default)]
struct Components {
    label: Vec<u32>,
    members: HashMap<u32, Vec<u32>>,
    next: u32,
}

impl Components {
    fn singleton(&mut self, slot: u32) {
        let label = self.fresh(vec![slot]);
        self.label
            .resize(self.label.len().max(slot as usize + 1), u32::MAX);
        self.label[slot as usize] = label;
    }

    fn fresh(&mut self, members: Vec<u32>) -> u32 {
        let label = self.next;
        self.next += 1;
        for &m in &members {
            if let Some(l) = self.label.get_mut(m as usize) {
                *l = label;
            }
        }
        self.members.insert(label, members);
        label
    }

    fn of(&self, slot: u32) -> u32 {
        self.label[slot as usize]
    }

    /// Joins two components (the smaller is relabelled); returns the joined one's label.
    fn join(&mut self, a: u32, b: u32) -> u32 {
        if a == b {
            return a;
        }
        let (small, large) = if self.members[&a].len() < self.members[&b].len() {
            (a, b)
        } else {
            (b, a)
        };
        let moved = self.members.remove(&small).unwrap_or_default();
        for &m in &moved {
            self.label[m as usize] = large;
        }
        self.members.entry(large).or_default().extend(moved);
        large
    }
}

impl CopyIndex {
    /// An empty index in which a sample held by more than `stock_holders` articles is a
    /// stock phrase ([`STOCK_HOLDERS`] but in tests).
    pub fn with_stock_holders(stock_holders: usize) -> CopyIndex {
        CopyIndex {
            slots: HashMap::new(),
            articles: Vec::new(),
            postings: HashMap::new(),
            by_text: HashMap::new(),
            links: Vec::new(),
            components: Components::default(),
            shared: Vec::new(),
            stock_holders,
        }
    }

    /// An index over stored signatures and the links kept between them (a link to an
    /// article without a signature is dropped).
    pub fn new(
        signatures: BTreeMap<ArticleId, Signature>,
        links: BTreeMap<ArticleId, Vec<ArticleId>>,
    ) -> CopyIndex {
        CopyIndex::default().filled(signatures, links)
    }

    /// This (empty) index over stored signatures and links, as [`CopyIndex::new`].
    pub fn filled(
        self,
        signatures: BTreeMap<ArticleId, Signature>,
        links: BTreeMap<ArticleId, Vec<ArticleId>>,
    ) -> CopyIndex {
        let mut index = self;
        for (id, signature) in signatures {
            index.insert(&id, signature);
        }
        // A link that is no longer a copy (made when fewer articles held its shared phrases)
        // is dropped, and the pieces it held together are joined again where they are copies.
        let mut dropped = Vec::new();
        for (id, others) in links {
            let Some(&a) = index.slots.get(&id) else {
                continue;
            };
            for other in others {
                if let Some(&b) = index.slots.get(&other)
                    && a != b
                    && !index.links[a as usize].contains(&b)
                {
                    if index.related(a, b) {
                        index.link(a, b);
                    } else {
                        dropped.extend([a, b]);
                    }
                }
            }
        }
        let labels = dropped.iter().map(|&s| index.components.of(s)).collect();
        index.resplit(labels);
        index
    }

    pub fn signature(&self, id: &ArticleId) -> Option<&Signature> {
        let slot = *self.slots.get(id)?;
        self.articles[slot as usize].as_ref().map(|a| &a.signature)
    }

    /// The kept links an article holds in the state: those to articles with a smaller id
    /// (each link is stored once).
    pub fn links_of(&self, id: &ArticleId) -> Vec<ArticleId> {
        let Some(&slot) = self.slots.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<ArticleId> = self.links[slot as usize]
            .iter()
            .map(|&o| self.id(o).clone())
            .filter(|o| o < id)
            .collect();
        out.sort();
        out
    }

    /// How many links are kept (each counted once).
    pub fn link_count(&self) -> usize {
        self.links.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// Sets an article's signature and finds the groups it joins. Returns whether anything
    /// changed.
    pub fn update(&mut self, id: &ArticleId, signature: Signature) -> bool {
        if self.signature(id) == Some(&signature) {
            return false;
        }
        self.remove(id);
        let slot = self.insert(id, signature);
        self.join_copies(slot, None);
        let hashes = self.articles[slot as usize]
            .as_ref()
            .map(|a| a.hashes.clone())
            .unwrap_or_default();
        for h in hashes {
            if self.postings.get(&h).map(Vec::len) == Some(self.stock_holders + 1) {
                self.became_stock(h);
            }
        }
        true
    }

    /// The copy group of one article (named after the smallest id of its component), or
    /// `None` when it has no copies: what [`CopyIndex::groups`] says of it.
    pub fn group_of(&self, id: &ArticleId) -> Option<String> {
        let slot = *self.slots.get(id)?;
        let members = self.components.members.get(&self.components.of(slot))?;
        if members.len() < 2 {
            return None;
        }
        members
            .iter()
            .map(|&m| self.id(m))
            .min()
            .map(|m| m.to_string())
    }

    /// Forgets an article and its links; its group, if that split it, is joined again
    /// where the pieces still hold copies. Returns whether it was known.
    pub fn remove(&mut self, id: &ArticleId) -> bool {
        let Some(slot) = self.slots.remove(id) else {
            return false;
        };
        let Some(old) = self.articles[slot as usize].take() else {
            return false;
        };
        // Samples that were stock phrases and are no longer.
        let mut common = Vec::new();
        for h in &old.hashes {
            if let Some(list) = self.postings.get_mut(h) {
                list.retain(|&o| o != slot);
                if list.len() == self.stock_holders {
                    common.push(*h);
                }
                if list.is_empty() {
                    self.postings.remove(h);
                }
            }
        }
        if let Some(list) = self.by_text.get_mut(&old.signature.text_sha256) {
            list.retain(|&o| o != slot);
            if list.is_empty() {
                self.by_text.remove(&old.signature.text_sha256);
            }
        }
        for other in std::mem::take(&mut self.links[slot as usize]) {
            self.links[other as usize].retain(|&o| o != slot);
        }
        let label = self.components.of(slot);
        let mut rest = self.components.members.remove(&label).unwrap_or_default();
        rest.retain(|&o| o != slot);
        self.components.label[slot as usize] = u32::MAX;
        self.split_and_rejoin(rest);
        for h in common {
            self.became_common(h);
        }
        true
    }

    /// A sample just became a stock phrase: its holders' links that it alone made copies are
    /// cut, and the groups they held together split where no other copies join them.
    fn became_stock(&mut self, h: u32) {
        let holders: Vec<u32> = self.postings.get(&h).cloned().unwrap_or_default();
        let held: HashSet<u32> = holders.iter().copied().collect();
        let mut cut = HashSet::new();
        for &u in &holders {
            let linked: Vec<u32> = self.links[u as usize]
                .iter()
                .copied()
                .filter(|&v| v > u && held.contains(&v))
                .collect();
            for v in linked {
                if !self.related(u, v) {
                    self.links[u as usize].retain(|&o| o != v);
                    self.links[v as usize].retain(|&o| o != u);
                    cut.insert(self.components.of(u));
                }
            }
        }
        self.resplit(cut);
    }

    /// A sample is no longer a stock phrase: its holders' copies through it are looked for.
    fn became_common(&mut self, h: u32) {
        let holders: Vec<u32> = self.postings.get(&h).cloned().unwrap_or_default();
        for u in holders {
            self.join_copies(u, None);
        }
    }

    /// The components with these labels, split along their kept links and joined again
    /// where the pieces are copies.
    fn resplit(&mut self, labels: HashSet<u32>) {
        let mut rest = Vec::new();
        for label in labels {
            rest.extend(self.components.members.remove(&label).unwrap_or_default());
        }
        self.split_and_rejoin(rest);
    }

    /// Whether two indexed articles are copies (see the module's documentation).
    fn related(&self, a: u32, b: u32) -> bool {
        let (Some(x), Some(y)) = (&self.articles[a as usize], &self.articles[b as usize]) else {
            return false;
        };
        let text = &x.signature.text_sha256;
        if *text == y.signature.text_sha256 && !text.is_empty() && text != EMPTY_TEXT_SHA256 {
            return true;
        }
        let (mut i, mut j, mut shared, mut rare) = (0, 0, 0usize, 0u32);
        while i < x.hashes.len() && j < y.hashes.len() {
            match x.hashes[i].cmp(&y.hashes[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    if !self.is_stock(x.hashes[i]) {
                        rare += 1;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        copies_by_count(x.hashes.len(), y.hashes.len(), shared, rare)
    }

    fn is_stock(&self, h: u32) -> bool {
        self.postings
            .get(&h)
            .is_some_and(|list| list.len() > self.stock_holders)
    }

    /// Each grouped article's copy group: the connected components of the copy relation,
    /// named after their smallest id. Articles without copies are not listed.
    pub fn groups(&self) -> BTreeMap<ArticleId, String> {
        let mut groups = BTreeMap::new();
        for members in self.components.members.values() {
            if members.len() < 2 {
                continue;
            }
            let Some(name) = members.iter().map(|&m| self.id(m)).min() else {
                continue;
            };
            let name = name.to_string();
            for &m in members {
                groups.insert(self.id(m).clone(), name.clone());
            }
        }
        groups
    }

    fn id(&self, slot: u32) -> &ArticleId {
        &self.articles[slot as usize]
            .as_ref()
            .expect("a linked slot holds an article")
            .id
    }

    /// Puts an article in a new slot of its own, without looking for its copies.
    fn insert(&mut self, id: &ArticleId, signature: Signature) -> u32 {
        let slot = self.articles.len() as u32;
        let mut hashes = signature.hashes();
        hashes.sort_unstable();
        hashes.dedup();
        for &h in &hashes {
            self.postings.entry(h).or_default().push(slot);
        }
        self.by_text
            .entry(signature.text_sha256.clone())
            .or_default()
            .push(slot);
        self.articles.push(Some(Indexed {
            id: id.clone(),
            signature,
            hashes,
        }));
        self.links.push(Vec::new());
        self.shared.push(0);
        self.components.singleton(slot);
        self.slots.insert(id.clone(), slot);
        slot
    }

    fn link(&mut self, a: u32, b: u32) {
        self.links[a as usize].push(b);
        self.links[b as usize].push(a);
        let (la, lb) = (self.components.of(a), self.components.of(b));
        self.components.join(la, lb);
    }

    /// Links an article to one copy in each other component it is a copy of; with
    /// `within`, only components with those labels are looked at. Returns how many
    /// components it joined.
    fn join_copies(&mut self, slot: u32, within: Option<&HashSet<u32>>) -> usize {
        let Some(article) = self.articles[slot as usize].as_ref() else {
            return 0;
        };
        // Samples other than stock phrases shared with each candidate, counted through the
        // postings (an article's samples are distinct, so this is the size of the
        // intersection); the stock phrases shared are counted for the candidates only.
        let mut touched: Vec<u32> = Vec::new();
        let mut stock: Vec<u32> = Vec::new();
        for &h in &article.hashes {
            let list = self.postings.get(&h).map_or(&[][..], Vec::as_slice);
            if list.len() > self.stock_holders {
                stock.push(h);
                continue;
            }
            for &other in list {
                let count = &mut self.shared[other as usize];
                if *count == 0 {
                    touched.push(other);
                }
                *count += 1;
            }
        }
        let text = &article.signature.text_sha256;
        let identical: &[u32] = match self.by_text.get(text) {
            Some(list) if !text.is_empty() && text != EMPTY_TEXT_SHA256 => list,
            _ => &[],
        };
        let size = article.hashes.len();
        let copies = |other: u32, rare: u32| {
            let Some(other) = self.articles[other as usize].as_ref() else {
                return false;
            };
            let bound = rare as usize + stock.len();
            if rare < MIN_RARE_SHARED || !copies_by_count(size, other.hashes.len(), bound, rare) {
                return false;
            }
            let smaller = size.min(other.hashes.len());
            let need = (CONTAINMENT * smaller as f64).ceil() as usize;
            let need = need.saturating_sub(rare as usize);
            at_least_shared(&stock, &other.hashes, need)
        };
        let mut found = Vec::new();
        // One copy is linked per component the article is not yet in, so a group of any
        // size costs one link to join, not one per member.
        let mut joined: HashSet<u32> = HashSet::from([self.components.of(slot)]);
        let candidates = identical
            .iter()
            .map(|&other| (other, true))
            .chain(touched.iter().map(|&other| (other, false)));
        for (other, same_text) in candidates {
            // Most candidates share one or two samples: dismissed before anything else.
            if !same_text && self.shared[other as usize] < MIN_RARE_SHARED {
                continue;
            }
            let label = self.components.label[other as usize];
            if other == slot
                || joined.contains(&label)
                || within.is_some_and(|w| !w.contains(&label))
            {
                continue;
            }
            if same_text || copies(other, self.shared[other as usize]) {
                joined.insert(label);
                found.push(other);
            }
        }
        for &other in &touched {
            self.shared[other as usize] = 0;
        }
        for &other in &found {
            self.link(slot, other);
        }
        found.len()
    }

    /// After an article left: the pieces its group falls into along the kept links, joined
    /// again through any copies between them.
    fn split_and_rejoin(&mut self, rest: Vec<u32>) {
        if rest.is_empty() {
            return;
        }
        let mut pieces: Vec<Vec<u32>> = Vec::new();
        let mut placed: HashSet<u32> = HashSet::new();
        for &start in &rest {
            if !placed.insert(start) {
                continue;
            }
            let mut piece = vec![start];
            let mut next = 0;
            while next < piece.len() {
                for &o in &self.links[piece[next] as usize] {
                    if placed.insert(o) {
                        piece.push(o);
                    }
                }
                next += 1;
            }
            pieces.push(piece);
        }
        let mut labels: HashSet<u32> = HashSet::new();
        for piece in pieces {
            labels.insert(self.components.fresh(piece));
        }
        let mut apart = labels.len();
        let mut order = rest;
        order.sort_unstable();
        for slot in order {
            if apart < 2 {
                break;
            }
            let joined = self.join_copies(slot, Some(&labels));
            apart -= joined;
            // Joined pieces take one of their labels: keep the set to the live ones.
            labels.retain(|l| self.components.members.contains_key(l));
        }
    }
}

/// Whether two articles with these many samples, sharing `shared` of them (`rare` not stock
/// phrases), are copies (identical texts aside).
fn copies_by_count(size: usize, other: usize, shared: usize, rare: u32) -> bool {
    let smaller = size.min(other);
    smaller >= MIN_SAMPLES
        && rare >= MIN_RARE_SHARED
        && shared as f64 >= CONTAINMENT * smaller as f64
}

/// Whether two sorted lists have at least `need` values in common (stops as soon as it knows).
fn at_least_shared(a: &[u32], b: &[u32], need: usize) -> bool {
    let (mut i, mut j, mut found) = (0, 0, 0);
    while found < need && i < a.len() && j < b.len() {
        if a.len() - i < need - found {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                found += 1;
                i += 1;
                j += 1;
            }
        }
    }
    found >= need
}

/// SHA-256 of the empty string: articles with no kept text are never copies of each other.
const EMPTY_TEXT_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ArticleId {
        ArticleId::new(s).unwrap()
    }

    fn sig(text: &str) -> Signature {
        Signature::of(text, &corpus::sha256_hex(text))
    }

    /// Distinct pseudo-prose: `n` words from a seeded generator.
    fn words(seed: u64, n: usize) -> String {
        let vocab = [
            "police",
            "said",
            "the",
            "blast",
            "killed",
            "people",
            "near",
            "station",
            "on",
            "monday",
            "officials",
            "rescue",
            "teams",
            "searched",
            "rubble",
            "for",
            "survivors",
            "after",
            "a",
            "quake",
            "hit",
            "city",
            "early",
            "morning",
            "residents",
            "fled",
        ];
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                vocab[(x >> 33) as usize % vocab.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_cut_copy_joins_the_full_story_and_an_unrelated_story_does_not() {
        let wire = words(1, 600);
        let cut: String = wire.split(' ').take(250).collect::<Vec<_>>().join(" ");
        let mut index = CopyIndex::default();
        index.update(&id("b-wire"), sig(&wire));
        index.update(&id("c-cut"), sig(&format!("LONDON (Agency) - {cut}")));
        index.update(&id("a-other"), sig(&words(2, 600)));
        let groups = index.groups();
        assert_eq!(
            groups.get(&id("b-wire")).map(String::as_str),
            Some("b-wire")
        );
        assert_eq!(groups.get(&id("c-cut")).map(String::as_str), Some("b-wire"));
        assert_eq!(groups.get(&id("a-other")), None);
    }

    #[test]
    fn groups_do_not_depend_on_arrival_order_and_follow_removals() {
        let wire = words(3, 400);
        let texts = [
            ("x1", wire.clone()),
            (
                "x2",
                format!("{wire} Extra closing words from one outlet only."),
            ),
            ("x3", words(4, 400)),
        ];
        let mut forward = CopyIndex::default();
        for (name, text) in &texts {
            forward.update(&id(name), sig(text));
        }
        let mut backward = CopyIndex::default();
        for (name, text) in texts.iter().rev() {
            backward.update(&id(name), sig(text));
        }
        assert_eq!(forward.groups(), backward.groups());
        assert_eq!(forward.groups().len(), 2);
        forward.remove(&id("x1"));
        assert!(forward.groups().is_empty());
    }

    #[test]
    fn identical_short_texts_are_copies_and_empty_texts_are_not() {
        let mut index = CopyIndex::default();
        index.update(&id("s1"), sig("Ten people died."));
        index.update(&id("s2"), sig("Ten people died."));
        index.update(&id("e1"), sig(""));
        index.update(&id("e2"), sig(""));
        let groups = index.groups();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[&id("s2")], "s1");
    }

    #[test]
    fn chinese_copies_are_found_by_characters() {
        let story = "周日凌晨北部山区发生强烈地震造成至少四十三人死亡三百多人受伤救援人员正在倒塌的房屋中搜寻幸存者军队和志愿者也加入了搜救工作";
        let mut index = CopyIndex::default();
        index.update(&id("c1"), sig(story));
        index.update(&id("c2"), sig(&format!("新华社电 {story}")));
        assert_eq!(index.groups().len(), 2);
    }

    /// An index rebuilt from what the state keeps: the signatures and each article's links.
    fn rebuilt(index: &CopyIndex, signatures: &BTreeMap<ArticleId, Signature>) -> CopyIndex {
        let links = signatures
            .keys()
            .map(|i| (i.clone(), index.links_of(i)))
            .collect();
        CopyIndex::with_stock_holders(index.stock_holders).filled(signatures.clone(), links)
    }

    #[test]
    fn an_index_rebuilt_from_its_parts_is_the_same() {
        let mut index = CopyIndex::default();
        let signatures: BTreeMap<ArticleId, Signature> = [
            ("a", sig(&words(5, 300))),
            ("b", sig(&words(5, 300))),
            ("c", sig(&words(6, 300))),
        ]
        .into_iter()
        .map(|(name, s)| (id(name), s))
        .collect();
        for (name, s) in &signatures {
            index.update(name, s.clone());
        }
        let rebuilt = rebuilt(&index, &signatures);
        assert_eq!(rebuilt.groups(), index.groups());
        assert_eq!(rebuilt.link_count(), index.link_count());
    }

    /// Five articles: `b` is a long story, `a` its first half and `c` its second half (so
    /// `a` and `c` are copies of `b` but not of each other), `d` a copy of `a`, `e` of `c`.
    fn chain() -> Vec<(ArticleId, Signature)> {
        let story = words(7, 600);
        let story: Vec<&str> = story.split(' ').collect();
        let part = |r: std::ops::Range<usize>| story[r].join(" ");
        vec![
            (id("a"), sig(&part(0..300))),
            (id("b"), sig(&part(0..600))),
            (id("c"), sig(&part(300..600))),
            (id("d"), sig(&format!("WIRE - {}", part(0..290)))),
            (id("e"), sig(&format!("{} More later.", part(310..600)))),
        ]
    }

    #[test]
    fn groups_are_the_same_in_every_arrival_order() {
        let articles = chain();
        let mut expected = None;
        let mut order: Vec<usize> = (0..articles.len()).collect();
        // Every permutation (Heap's algorithm, iterative).
        let mut c = vec![0; order.len()];
        let mut i = 0;
        let mut orders = vec![order.clone()];
        while i < order.len() {
            if c[i] < i {
                let j = if i % 2 == 0 { 0 } else { c[i] };
                order.swap(j, i);
                orders.push(order.clone());
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        assert_eq!(orders.len(), 120);
        for order in orders {
            let mut index = CopyIndex::default();
            for &k in &order {
                index.update(&articles[k].0, articles[k].1.clone());
            }
            let groups = index.groups();
            assert_eq!(groups.len(), 5, "{order:?}");
            assert!(groups.values().all(|g| g == "a"), "{order:?}");
            assert_eq!(index.link_count(), 4, "{order:?}");
            match &expected {
                None => expected = Some(groups),
                Some(e) => assert_eq!(e, &groups, "{order:?}"),
            }
        }
    }

    #[test]
    fn removing_the_article_that_joins_two_halves_splits_the_group() {
        let articles = chain();
        let signatures: BTreeMap<ArticleId, Signature> = articles.iter().cloned().collect();
        for from_state in [false, true] {
            let mut index = CopyIndex::default();
            for (name, s) in &articles {
                index.update(name, s.clone());
            }
            if from_state {
                index = rebuilt(&index, &signatures);
            }
            // A copy of the whole story that is not the bridge: nothing splits.
            assert!(index.remove(&id("d")));
            assert_eq!(index.groups().len(), 4);
            index.update(&id("d"), signatures[&id("d")].clone());
            assert!(index.remove(&id("b")));
            let groups = index.groups();
            assert_eq!(groups[&id("a")], "a");
            assert_eq!(groups[&id("d")], "a");
            assert_eq!(groups[&id("c")], "c");
            assert_eq!(groups[&id("e")], "c");
            // Back again: one group.
            index.update(&id("b"), signatures[&id("b")].clone());
            assert!(index.groups().values().all(|g| g == "a"));
        }
    }

    /// A signature made of these sample hashes (and a text of its own).
    fn sig_of(name: &str, hashes: &[u32]) -> Signature {
        let mut hashes = hashes.to_vec();
        hashes.sort_unstable();
        Signature {
            text_sha256: corpus::sha256_hex(name),
            samples: hashes.iter().map(|h| format!("{h:08x}")).collect(),
        }
    }

    /// Stock phrases in the tests below: held by more than this many articles.
    const STOCK: usize = 20;

    /// The groups a whole run finds: every article placed in id order in an empty index.
    fn fresh(signatures: &BTreeMap<ArticleId, Signature>) -> BTreeMap<ArticleId, String> {
        let mut index = CopyIndex::with_stock_holders(STOCK);
        for (name, s) in signatures {
            index.update(name, s.clone());
        }
        index.groups()
    }

    /// Articles that share eight samples `1..=8` ("stock" once more than STOCK hold them) and their own; `p` and `q` share two more, `9` and `10`, and `r` shares with
    /// `p` only the eight.
    fn stock_articles() -> BTreeMap<ArticleId, Signature> {
        let stock: Vec<u32> = (1..=8).collect();
        let mut out = BTreeMap::new();
        let with = |extra: &[u32]| [stock.as_slice(), extra].concat();
        out.insert(id("p"), sig_of("p", &with(&[9, 10, 100])));
        out.insert(id("q"), sig_of("q", &with(&[9, 10, 200])));
        out.insert(id("r"), sig_of("r", &with(&[300])));
        for k in 0..STOCK as u32 {
            let own: Vec<u32> = (0..40).map(|j| 10_000 + k * 100 + j).collect();
            out.insert(
                id(&format!("f{k:04}")),
                sig_of(&format!("f{k}"), &with(&own)),
            );
        }
        out
    }

    #[test]
    fn articles_sharing_only_stock_phrases_are_not_copies_in_any_arrival_order() {
        let all = stock_articles();
        let expected = fresh(&all);
        // STOCK + 3 holders of 1..=8: stock. p and q share 9 and 10 besides; r
        // shares only stock phrases.
        assert_eq!(expected.get(&id("p")).map(String::as_str), Some("p"));
        assert_eq!(expected.get(&id("q")).map(String::as_str), Some("p"));
        assert_eq!(expected.len(), 2, "{expected:?}");
        let names: Vec<ArticleId> = all.keys().cloned().collect();
        let mut shuffled = names.clone();
        let mut x = 7u64;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        let reversed: Vec<ArticleId> = names.iter().rev().cloned().collect();
        for order in [names, reversed, shuffled] {
            let mut index = CopyIndex::with_stock_holders(STOCK);
            for name in &order {
                index.update(name, all[name].clone());
            }
            assert_eq!(index.groups(), expected);
            assert_eq!(rebuilt(&index, &all).groups(), expected);
            // Holders leave until 1..=8 are no longer stock: r and the rest are copies again
            // (through p), as a whole run over what is left finds.
            let mut left = all.clone();
            for name in order.iter().filter(|n| n.as_str().starts_with('f')).take(3) {
                index.remove(name);
                left.remove(name);
                assert_eq!(index.groups(), fresh(&left), "without {name}");
            }
            assert_eq!(index.groups().len(), left.len());
        }
        // Links kept by a run over fewer articles (the eight not yet stock: r a copy of p)
        // are dropped when loaded with all of them, and the pieces joined again.
        let fewer: BTreeMap<ArticleId, Signature> = all
            .iter()
            .filter(|(name, _)| name.as_str() < "f0010" || !name.as_str().starts_with('f'))
            .map(|(name, s)| (name.clone(), s.clone()))
            .collect();
        let mut before = CopyIndex::with_stock_holders(STOCK);
        for (name, s) in &fewer {
            before.update(name, s.clone());
        }
        assert_eq!(before.groups().len(), fewer.len());
        let links = fewer
            .keys()
            .map(|name| (name.clone(), before.links_of(name)))
            .collect();
        let loaded = CopyIndex::with_stock_holders(STOCK).filled(all.clone(), links);
        assert_eq!(loaded.groups(), expected);
    }

    #[test]
    fn a_large_wire_group_keeps_one_link_per_copy_and_survives_losing_its_hub() {
        let wire = words(9, 400);
        let n = 400;
        let mut index = CopyIndex::default();
        for k in 0..n {
            let text = format!("Outlet {k} reports. {wire} Copyright outlet {k}.");
            index.update(&id(&format!("w{k:04}")), sig(&text));
        }
        index.update(&id("z-other"), sig(&words(10, 400)));
        let groups = index.groups();
        assert_eq!(groups.len(), n);
        assert!(groups.values().all(|g| g == "w0000"));
        assert_eq!(index.link_count(), n - 1);
        // Every copy linked to the first to arrive; without it, the rest are still one group.
        assert!(index.remove(&id("w0000")));
        let groups = index.groups();
        assert_eq!(groups.len(), n - 1);
        assert!(groups.values().all(|g| g == "w0001"));
        assert_eq!(index.link_count(), n - 2);
    }
}
