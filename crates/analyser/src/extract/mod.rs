//! Claims from the sentences of one normalised article: counts, weapons and blame, each
//! with the source the article gives for it, the place it is about, and whether it is about
//! the article's main event or another incident.
//!
//! Four steps, one module each: `sentence` reads each sentence (tokens, places, times,
//! sources, counts, weapons); `frame` finds the article's main event (place, day, kind);
//! `context` finds where and when each figure is; `claims` turns the figures into claims
//! with their sources.

mod claims;
mod context;
mod frame;
mod sentence;

use corpus::{Claim, EventFrame, NormalisedDoc, PlaceLevel};

use crate::lexicon::Lexicon;

/// How many sentences from the start make the lead, where the main event is introduced.
const LEAD_SENTENCES: usize = 4;

/// The claims of one article and what its main event is.
pub fn extract(doc: &NormalisedDoc, lex: &Lexicon) -> (Vec<Claim>, EventFrame) {
    let published = doc.meta.published.as_ref().map(|p| p.date());
    let mut sentences = Vec::new();
    let mut order = 0;
    for (block_index, block) in doc.blocks.iter().enumerate() {
        for (index, (text, original)) in block.sentence_texts().enumerate() {
            sentences.push(sentence::read(
                text,
                original,
                block_index,
                index,
                order,
                block.attribution.as_deref(),
                lex,
                published,
            ));
            order += 1;
        }
    }
    sentence::reread_places(&mut sentences, lex);
    sentence::breakdown_lines(&mut sentences, lex);
    sentence::parts_of_earlier_totals(&mut sentences, lex);
    sentence::open_outcomes(&mut sentences, lex);
    sentence::added_up(&mut sentences);
    let country = sentence::article_country(&sentences);
    if let Some(iso) = &country {
        // a town the gazetteer does not know lies, most likely, in the article's country
        for s in &mut sentences {
            for m in &mut s.places {
                if m.place.level == PlaceLevel::Unknown && m.place.country.is_none() {
                    m.place.country = Some(iso.clone());
                }
            }
        }
    }
    let main = frame::main_frame(&sentences, lex, published, country.as_deref());
    let claims = claims::claims(&sentences, &main, lex, published);
    (claims, main)
}
