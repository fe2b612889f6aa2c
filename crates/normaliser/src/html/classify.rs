//! What is not the article, judged from markup alone: an element's name, its ARIA role, its
//! visibility, and the words in its class and id ("share-bar", "relatedStories",
//! "comment-list"). Each judgement carries the reason that is recorded when it removes text
//! from the article.

use super::dom::{Dom, Tag};

/// Why a part of the page is not the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    Hidden,
    Navigation,
    Header,
    Footer,
    Sidebar,
    Share,
    Related,
    Comments,
    Newsletter,
    Consent,
    Ad,
    Caption,
    Byline,
    Tags,
    Popup,
    Form,
}

impl Reason {
    /// The rule name recorded with a removal.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Reason::Hidden => "html-hidden",
            Reason::Navigation => "html-navigation",
            Reason::Header => "html-header",
            Reason::Footer => "html-footer",
            Reason::Sidebar => "html-sidebar",
            Reason::Share => "html-share",
            Reason::Related => "html-related",
            Reason::Comments => "html-comments",
            Reason::Newsletter => "html-newsletter",
            Reason::Consent => "html-consent",
            Reason::Ad => "html-ad",
            Reason::Caption => "html-caption",
            Reason::Byline => "html-byline",
            Reason::Tags => "html-tags",
            Reason::Popup => "html-popup",
            Reason::Form => "html-form",
        }
    }

    /// Markup that some sites put on the element that wraps the whole page ("has-sidebar",
    /// a `<form>` around everything): such a judgement is overruled when the element holds
    /// most of the page's text.
    fn overruled_by_size(self) -> bool {
        !matches!(self, Reason::Comments)
    }
}

/// For each node, why it is not the article (inherited from its ancestors), or `None`.
pub(crate) fn classify(dom: &Dom<'_>, main_text_share: f64) -> Vec<Option<Reason>> {
    let total = dom.nodes.first().map_or(0, |n| n.chars - n.link_chars) as f64;
    let mut verdict: Vec<Option<Reason>> = vec![None; dom.len()];
    let mut in_paragraph = vec![false; dom.len()];
    for i in 0..dom.len() {
        let node = &dom.nodes[i];
        let parent = node.parent as usize;
        let inherited = if parent != i { verdict[parent] } else { None };
        in_paragraph[i] =
            (parent != i && in_paragraph[parent]) || matches!(node.tag, Tag::P | Tag::H(_));
        if inherited.is_some() || node.element.is_none() {
            verdict[i] = inherited;
            continue;
        }
        let Some(reason) = judge(dom, i as u32, in_paragraph[i] && node.tag != Tag::P) else {
            continue;
        };
        let own_text = (node.chars - node.link_chars) as f64;
        let holds_the_page = total > 0.0 && own_text >= main_text_share * total;
        if !(reason.overruled_by_size() && holds_the_page) {
            verdict[i] = Some(reason);
        }
    }
    verdict
}

/// The judgement on one element, from its own markup.
fn judge(dom: &Dom<'_>, i: u32, inside_paragraph: bool) -> Option<Reason> {
    let node = &dom.nodes[i as usize];
    let el = node.element?;
    let by_tag = match node.tag {
        Tag::Html | Tag::Body | Tag::Main | Tag::Document => return None,
        Tag::Nav => Some(Reason::Navigation),
        Tag::Header => Some(Reason::Header),
        Tag::Footer => Some(Reason::Footer),
        Tag::Aside => Some(Reason::Sidebar),
        Tag::Figcaption => Some(Reason::Caption),
        Tag::Form => Some(Reason::Form),
        _ => None,
    };
    let mut class = "";
    let mut id = "";
    let mut hidden = false;
    let mut role = "";
    for (name, value) in el.attrs() {
        match name {
            "class" => class = value,
            "id" => id = value,
            "role" => role = value,
            "hidden" => hidden = true,
            "aria-hidden" => hidden |= value.trim().eq_ignore_ascii_case("true"),
            "style" => hidden |= style_hides(value),
            _ => {}
        }
    }
    if hidden {
        return Some(Reason::Hidden);
    }
    if by_tag.is_some() {
        return by_tag;
    }
    let by_role = match role.trim().to_ascii_lowercase().as_str() {
        "navigation" | "menu" | "menubar" | "search" | "tablist" => Some(Reason::Navigation),
        "banner" => Some(Reason::Header),
        "contentinfo" => Some(Reason::Footer),
        "complementary" => Some(Reason::Sidebar),
        "dialog" | "alertdialog" => Some(Reason::Popup),
        _ => None,
    };
    if by_role.is_some() {
        return by_role;
    }
    if class.is_empty() && id.is_empty() {
        return None;
    }
    // Inside a paragraph only what is plainly not text is removed: a credit or an ad label,
    // not a "dateline" or an "author" span in the middle of a sentence.
    let verdict = class
        .split_ascii_whitespace()
        .chain(std::iter::once(id).filter(|s| !s.is_empty()))
        .find_map(judge_name);
    match verdict {
        Some(Reason::Hidden | Reason::Ad | Reason::Share) if inside_paragraph => verdict,
        Some(_) if inside_paragraph => None,
        _ => verdict,
    }
}

fn style_hides(style: &str) -> bool {
    let style = style.to_ascii_lowercase();
    let compact: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

/// Judges one class name or id ("social-share", "relatedStories", "sr-only").
pub(crate) fn judge_name(name: &str) -> Option<Reason> {
    let lower = name.to_ascii_lowercase();
    if HIDDEN_NAMES.contains(&lower.as_str()) {
        return Some(Reason::Hidden);
    }
    let words = words_of(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    let has_pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    if words
        .iter()
        .any(|w| w.starts_with("comment") && !w.starts_with("commentar"))
        || ["disqus", "replies", "respond", "dsq"]
            .iter()
            .any(|w| has(w))
    {
        return Some(Reason::Comments);
    }
    if lower.contains("newsletter")
        || ["subscribe", "subscription", "signup", "optin", "mailing"]
            .iter()
            .any(|w| has(w))
        || has_pair("sign", "up")
    {
        return Some(Reason::Newsletter);
    }
    if ["cookie", "cookies", "consent", "gdpr", "cmp"]
        .iter()
        .any(|w| has(w))
        || lower.contains("cookie")
    {
        return Some(Reason::Consent);
    }
    if lower.contains("share")
        || lower.contains("social")
        || ["sharing", "addthis", "sharethis", "sociable", "follow"]
            .iter()
            .any(|w| has(w))
    {
        return Some(Reason::Share);
    }
    if lower.contains("related")
        || lower.contains("recommend")
        || lower.contains("outbrain")
        || lower.contains("taboola")
        || lower.contains("trending")
        || lower.contains("popular")
        || lower.contains("mostread")
        || [
            "recirc",
            "recirculation",
            "teaser",
            "teasers",
            "promo",
            "suggested",
        ]
        .iter()
        .any(|w| has(w))
        || has_pair("most", "read")
        || has_pair("most", "viewed")
        || has_pair("more", "stories")
        || has_pair("more", "articles")
        || has_pair("more", "news")
        || has_pair("also", "read")
        || has_pair("read", "next")
        || has_pair("next", "article")
        || has_pair("up", "next")
    {
        return Some(Reason::Related);
    }
    if [
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "advertorial",
        "sponsor",
        "sponsored",
        "sponsors",
        "dfp",
        "adsense",
        "adslot",
        "adunit",
        "adsbygoogle",
        "banner",
        "gpt",
    ]
    .iter()
    .any(|w| has(w))
        || lower.contains("advert")
    {
        return Some(Reason::Ad);
    }
    if ["caption", "captions", "credit", "credits", "copyright"]
        .iter()
        .any(|w| has(w))
        || lower.contains("caption")
    {
        return Some(Reason::Caption);
    }
    if [
        "byline",
        "bylines",
        "author",
        "authors",
        "contributor",
        "contributors",
        "writer",
        "meta",
        "timestamp",
        "date",
        "dates",
    ]
    .iter()
    .any(|w| has(w))
        || lower.contains("byline")
    {
        return Some(Reason::Byline);
    }
    if [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "menubar",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
        "pager",
        "toolbar",
        "topbar",
        "skip",
        "masthead",
    ]
    .iter()
    .any(|w| has(w))
        || lower.contains("breadcrumb")
        || lower.contains("navigation")
    {
        return Some(Reason::Navigation);
    }
    if ["sidebar", "widget", "widgets", "rail"]
        .iter()
        .any(|w| has(w))
        || has_pair("side", "bar")
        || lower.contains("sidebar")
    {
        return Some(Reason::Sidebar);
    }
    if has("footer") || lower.contains("footer") {
        return Some(Reason::Footer);
    }
    if ["tags", "tagcloud", "keywords", "categories"]
        .iter()
        .any(|w| has(w))
        || has_pair("tag", "list")
        || lower == "tag"
    {
        return Some(Reason::Tags);
    }
    if [
        "modal",
        "popup",
        "overlay",
        "lightbox",
        "interstitial",
        "toast",
    ]
    .iter()
    .any(|w| has(w))
    {
        return Some(Reason::Popup);
    }
    None
}

/// Class names that hide an element (from common CSS frameworks and CMSs).
const HIDDEN_NAMES: &[&str] = &[
    "hidden",
    "hide",
    "is-hidden",
    "visually-hidden",
    "visuallyhidden",
    "sr-only",
    "screen-reader-text",
    "screen-reader-only",
    "element-invisible",
    "invisible",
    "d-none",
    "u-hidden",
    "offscreen",
    "hidden-print",
    "print-only",
];

/// The words of a class name or id: split at punctuation and at lower-to-upper case changes,
/// lowercased ("relatedStories" and "related-stories" both give ["related", "stories"]).
pub(crate) fn words_of(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Class names and ids that mark the article body ("article-body", "entry-content",
/// `itemprop="articleBody"`), strongest first; `None` when the element has none.
pub(crate) fn body_marker(dom: &Dom<'_>, i: u32) -> Option<u8> {
    let el = dom.nodes[i as usize].element?;
    let mut best: Option<u8> = None;
    for (name, value) in el.attrs() {
        let strength = match name {
            "itemprop" if value.split_ascii_whitespace().any(|v| v == "articleBody") => Some(3),
            "class" | "id" => value
                .split_ascii_whitespace()
                .filter_map(name_strength)
                .max(),
            _ => None,
        };
        best = best.max(strength);
    }
    best
}

fn name_strength(name: &str) -> Option<u8> {
    let words = words_of(name);
    let joined = words.concat();
    const STRONG: &[&str] = &[
        "articlebody",
        "articlecontent",
        "articletext",
        "articlecopy",
        "storybody",
        "storycontent",
        "storytext",
        "entrycontent",
        "postcontent",
        "postbody",
        "posttext",
        "postentry",
        "bodytext",
        "articlebodytext",
        "newsbody",
        "newscontent",
        "newstext",
        "contentbody",
        "richtext",
        "textcontent",
        "fulltext",
        "maintext",
        "articlemain",
        "singlecontent",
        "blogcontent",
        "blogpost",
        "entrybody",
        "storycopy",
        "bodycopy",
    ];
    if STRONG.iter().any(|s| joined.ends_with(s) || joined == *s) {
        return Some(2);
    }
    const WEAK: &[&str] = &[
        "article", "story", "post", "entry", "content", "body", "text", "main",
    ];
    if words.iter().any(|w| WEAK.contains(&w.as_str())) {
        return Some(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_into_words() {
        assert_eq!(words_of("relatedStories"), ["related", "stories"]);
        assert_eq!(words_of("most-read_box"), ["most", "read", "box"]);
        assert_eq!(words_of("URLBox"), ["urlbox"]);
    }

    #[test]
    fn judges_names() {
        assert_eq!(judge_name("social-share"), Some(Reason::Share));
        assert_eq!(judge_name("relatedStories"), Some(Reason::Related));
        assert_eq!(judge_name("comment-list"), Some(Reason::Comments));
        assert_eq!(judge_name("commentary"), None);
        assert_eq!(judge_name("sr-only"), Some(Reason::Hidden));
        assert_eq!(judge_name("overflow-hidden"), None);
        assert_eq!(judge_name("ad-slot"), Some(Reason::Ad));
        assert_eq!(judge_name("header"), None);
        assert_eq!(judge_name("article-body"), None);
        assert_eq!(judge_name("wp-caption-text"), Some(Reason::Caption));
        assert_eq!(judge_name("load"), None);
    }
}
