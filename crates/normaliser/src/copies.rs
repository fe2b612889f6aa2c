//! Syndicated copies: articles whose text is mostly the same (one wire story run by several
//! outlets, whole or cut) share a copy group, so that the analyser counts them once.
//!
//! Each article gets a signature: a consistent sample of its five-word shingles (those
//! whose hash falls in one bucket of [`SAMPLE_MODULUS`]; in Chinese or Japanese a character
//! is a word), kept in the normaliser's state.
//! Two articles are copies when most of the shorter one's sampled shingles are in the other
//! ([`CONTAINMENT`]), or when their kept texts are identical. An inverted index over the
//! samples finds the candidates for a new or changed article, so a run compares only what
//! changed, never the whole corpus pairwise. Groups are the connected components of the
//! copy relation, named after their smallest article id: the same corpus always gives the
//! same groups, whatever order the articles came in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
/// Names the signature method; signatures made another way are made again.
pub const METHOD: &str = "fnv-words-xxh3-shingle5-mod4-v2";

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

/// The copy relation over a corpus, kept up to date one article at a time.
#[derive(Debug, Default)]
pub struct CopyIndex {
    signatures: BTreeMap<ArticleId, Signature>,
    links: BTreeMap<ArticleId, BTreeSet<ArticleId>>,
    postings: HashMap<u32, Vec<ArticleId>>,
    by_text: HashMap<String, Vec<ArticleId>>,
    sizes: HashMap<ArticleId, usize>,
}

impl CopyIndex {
    /// An index over stored signatures and links.
    pub fn new(
        signatures: BTreeMap<ArticleId, Signature>,
        links: BTreeMap<ArticleId, BTreeSet<ArticleId>>,
    ) -> CopyIndex {
        let mut index = CopyIndex {
            links,
            ..CopyIndex::default()
        };
        for (id, signature) in signatures {
            index.insert_postings(&id, &signature);
            index.signatures.insert(id, signature);
        }
        // Links to articles without a signature cannot be trusted: drop them.
        let known: BTreeSet<ArticleId> = index.signatures.keys().cloned().collect();
        index.links.retain(|id, _| known.contains(id));
        for others in index.links.values_mut() {
            others.retain(|o| known.contains(o));
        }
        index.links.retain(|_, others| !others.is_empty());
        index
    }

    pub fn signature(&self, id: &ArticleId) -> Option<&Signature> {
        self.signatures.get(id)
    }

    pub fn signatures(&self) -> &BTreeMap<ArticleId, Signature> {
        &self.signatures
    }

    pub fn links(&self) -> &BTreeMap<ArticleId, BTreeSet<ArticleId>> {
        &self.links
    }

    /// Sets an article's signature and finds its copies among the others. Returns whether
    /// anything changed.
    pub fn update(&mut self, id: &ArticleId, signature: Signature) -> bool {
        if self.signatures.get(id) == Some(&signature) {
            return false;
        }
        self.remove(id);
        let hashes = signature.hashes();
        let mut shared: HashMap<&ArticleId, usize> = HashMap::new();
        for h in &hashes {
            for other in self.postings.get(h).into_iter().flatten() {
                *shared.entry(other).or_default() += 1;
            }
        }
        let mut copies: BTreeSet<ArticleId> = shared
            .into_iter()
            .filter(|&(other, count)| {
                let smaller = hashes.len().min(self.sizes[other]);
                smaller >= MIN_SAMPLES && count as f64 >= CONTAINMENT * smaller as f64
            })
            .map(|(other, _)| other.clone())
            .collect();
        if !signature.text_sha256.is_empty() && signature.text_sha256 != EMPTY_TEXT_SHA256 {
            copies.extend(
                self.by_text
                    .get(&signature.text_sha256)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        copies.remove(id);
        for other in &copies {
            self.links
                .entry(other.clone())
                .or_default()
                .insert(id.clone());
        }
        if !copies.is_empty() {
            self.links.insert(id.clone(), copies);
        }
        self.insert_postings(id, &signature);
        self.signatures.insert(id.clone(), signature);
        true
    }

    /// Forgets an article and its links. Returns whether it was known.
    pub fn remove(&mut self, id: &ArticleId) -> bool {
        let Some(old) = self.signatures.remove(id) else {
            return false;
        };
        for h in old.hashes() {
            if let Some(list) = self.postings.get_mut(&h) {
                list.retain(|o| o != id);
                if list.is_empty() {
                    self.postings.remove(&h);
                }
            }
        }
        if let Some(list) = self.by_text.get_mut(&old.text_sha256) {
            list.retain(|o| o != id);
            if list.is_empty() {
                self.by_text.remove(&old.text_sha256);
            }
        }
        self.sizes.remove(id);
        for other in self.links.remove(id).unwrap_or_default() {
            if let Some(set) = self.links.get_mut(&other) {
                set.remove(id);
                if set.is_empty() {
                    self.links.remove(&other);
                }
            }
        }
        true
    }

    fn insert_postings(&mut self, id: &ArticleId, signature: &Signature) {
        let hashes = signature.hashes();
        self.sizes.insert(id.clone(), hashes.len());
        for h in hashes {
            self.postings.entry(h).or_default().push(id.clone());
        }
        self.by_text
            .entry(signature.text_sha256.clone())
            .or_default()
            .push(id.clone());
    }

    /// Each grouped article's copy group: the connected components of the copy relation,
    /// named after their smallest id. Articles without copies are not listed.
    pub fn groups(&self) -> BTreeMap<ArticleId, String> {
        let mut groups = BTreeMap::new();
        for start in self.links.keys() {
            if groups.contains_key(start) {
                continue;
            }
            let mut members = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(id) = stack.pop() {
                if members.insert(id) {
                    stack.extend(self.links.get(id).into_iter().flatten());
                }
            }
            // `links` is ordered, so the first unvisited key is the component's smallest id.
            let name = start.to_string();
            for member in members {
                groups.insert(member.clone(), name.clone());
            }
        }
        groups
    }
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

    #[test]
    fn an_index_rebuilt_from_its_parts_is_the_same() {
        let mut index = CopyIndex::default();
        index.update(&id("a"), sig(&words(5, 300)));
        index.update(&id("b"), sig(&words(5, 300)));
        let rebuilt = CopyIndex::new(index.signatures().clone(), index.links().clone());
        assert_eq!(rebuilt.groups(), index.groups());
        assert_eq!(rebuilt.links(), index.links());
    }
}
