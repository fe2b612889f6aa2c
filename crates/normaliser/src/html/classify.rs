//! What is not the article, judged from markup alone: an element's name, its ARIA role, its
//! visibility, and the words in its class and id ("share-bar", "relatedStories",
//! "comment-list"). Each judgement carries the reason that is recorded when it removes text
//! from the article.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

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
    Gallery,
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
            Reason::Gallery => "html-gallery",
            Reason::Byline => "html-byline",
            Reason::Tags => "html-tags",
            Reason::Popup => "html-popup",
            Reason::Form => "html-form",
        }
    }

    /// The share of the page's prose that an element must hold for this judgement to be
    /// overruled: markup that some sites put on the element that wraps the whole article
    /// (a blog engine's "widget" wrapper, a post's "author-sarah" class, a `<header>` or a
    /// `<form>` around everything) never removes most of the page's prose. A comments
    /// section can be longer than the article, so it must hold nearly all of it; what is
    /// hidden stays hidden.
    fn overruling_share(self) -> Option<f64> {
        match self {
            Reason::Hidden => None,
            Reason::Comments => Some(0.8),
            _ => Some(0.5),
        }
    }

    /// Whether an element that holds `held` characters of the page's `page` characters of
    /// prose is kept in spite of this judgement (see [`Reason::overruling_share`]). Captions
    /// and galleries are kept for their prose only when next to no prose stands outside
    /// them (a photo story told in its captions); beside an article of its own, a gallery of
    /// fifty long captions is still a gallery.
    fn overruled(self, held: u32, page: u32) -> bool {
        let Some(share) = self.overruling_share() else {
            return false;
        };
        let holds = page > 0 && f64::from(held) >= share * f64::from(page);
        match self {
            Reason::Gallery | Reason::Caption => holds && page - held < ARTICLE_BESIDE_CHARS,
            _ => holds,
        }
    }
}

/// Prose outside a gallery or caption (visible characters) that is an article of its own:
/// about 200 words.
const ARTICLE_BESIDE_CHARS: u32 = 1200;

/// What markup says about each node.
pub(crate) struct Markup {
    /// Why the node is not the article (inherited from its ancestors), or `None`.
    pub verdict: Vec<Option<Reason>>,
    /// How strongly the element's own markup names it the article body: 0 not at all, 1 a
    /// generic word ("content", "post"), 2 a body name ("article-body", "entry-content"),
    /// 3 `itemprop="articleBody"`.
    pub body_marker: Vec<u8>,
    /// The element's markup names it a standfirst (summary, dek, lede, subtitle).
    pub standfirst: Vec<bool>,
}

/// How markup is judged. What is hidden, and names of what text is (comments, related
/// stories, share bars, newsletter and consent prompts), are always read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judging {
    /// Class and id names of the page's layout are read ("sidebar", "widget", "header",
    /// "ad", "author", "modal").
    pub layout_names: bool,
    /// Element names and roles of the page's layout are read (`<aside>`, `<header>`,
    /// `role="navigation"`).
    pub layout_tags: bool,
    /// What is hidden (by attributes, inline styles or class names) is removed; when not
    /// (a last resort), it is read as text.
    pub hidden: bool,
    /// What markup names comments is removed; not on a page that says it is a discussion
    /// (a forum's thread, a question and its answers), where the replies are its text.
    pub comments: bool,
}

impl Judging {
    /// Every judgement.
    pub(crate) const ALL: Judging = Judging {
        layout_names: true,
        layout_tags: true,
        hidden: true,
        comments: true,
    };

    /// Every judgement, but comments on a discussion's page.
    pub(crate) fn of_page(discussion: bool) -> Judging {
        Judging {
            comments: !discussion,
            ..Judging::ALL
        }
    }
}

impl Reason {
    /// Says what the text is rather than where it stands on the page.
    fn names_content(self) -> bool {
        matches!(
            self,
            Reason::Hidden
                | Reason::Comments
                | Reason::Related
                | Reason::Share
                | Reason::Newsletter
                | Reason::Consent
        )
    }
}

/// Judges every node. An element that holds most of the page's prose is not removed for
/// its markup (see [`Reason::overruling_share`]).
pub(crate) fn classify(dom: &Dom<'_>, judging: Judging) -> Markup {
    let prose = prose(dom);
    let page_prose = prose.first().copied().unwrap_or(0);
    // An article cut into parts that share one class ("grid-layout--adrail" around each
    // part of the body) holds the prose together.
    let mut class_prose: FxHashMap<&str, u32> = FxHashMap::default();
    for (i, node) in dom.nodes.iter().enumerate() {
        if prose[i] > 0
            && let Some(class) = node.element.and_then(|el| el.attr("class"))
        {
            *class_prose.entry(class).or_default() += prose[i];
        }
    }
    let mut verdict: Vec<Option<Reason>> = vec![None; dom.len()];
    let mut body_marker = vec![0u8; dom.len()];
    let mut standfirst = vec![false; dom.len()];
    let mut in_paragraph = vec![false; dom.len()];
    let mut in_code = vec![false; dom.len()];
    // Pages repeat the same class attribute many times over, and the same names in
    // different class attributes and ids.
    let mut by_class: FxHashMap<&str, Names> = FxHashMap::default();
    let mut by_name: FxHashMap<&str, Names> = FxHashMap::default();
    let link_clusters = link_clusters(dom);
    for i in 0..dom.len() {
        let node = &dom.nodes[i];
        let parent = node.parent as usize;
        let inherited = if parent != i { verdict[parent] } else { None };
        in_paragraph[i] =
            (parent != i && in_paragraph[parent]) || matches!(node.tag, Tag::P | Tag::H(_));
        verdict[i] = inherited;
        let Some(el) = node.element else { continue };
        // Inside code, names are a syntax highlighter's ("hljs-comment", "token comment"):
        // parts of the code, not of the page.
        in_code[i] = (parent != i && in_code[parent]) || matches!(el.name(), "pre" | "code");
        let in_code = parent != i && in_code[parent];
        let attrs = Attrs::of(el);
        let by_class = *by_class
            .entry(attrs.class)
            .or_insert_with(|| judge_names(attrs.class, &mut by_name));
        // An id made from a heading's words ("sharing-with-friends") names the section's
        // subject, not its role.
        let by_id = if is_slug(attrs.id) {
            Names::default()
        } else {
            judge_names(attrs.id, &mut by_name)
        };
        let by_names = by_class
            .reason
            .or(by_id.reason)
            .filter(|_| !in_code)
            .filter(|r| judging.layout_names || r.names_content())
            .filter(|&r| judging.hidden || r != Reason::Hidden)
            .filter(|&r| judging.comments || r != Reason::Comments);
        body_marker[i] = by_class
            .body
            .max(by_id.body)
            .max(if attrs.article_body { 3 } else { 0 });
        standfirst[i] = by_class.standfirst || by_id.standfirst || attrs.description;
        if inherited.is_some() {
            continue;
        }
        let inside_paragraph = parent != i && in_paragraph[parent];
        let Some(reason) = judge(node.tag, &attrs, by_names, inside_paragraph)
            .filter(|r| judging.layout_tags || r.names_content() || Some(*r) == by_names)
            .filter(|&r| judging.hidden || r != Reason::Hidden)
            .filter(|&r| judging.comments || r != Reason::Comments)
            .or_else(|| (inside_paragraph && link_clusters[i]).then_some(Reason::Related))
        else {
            continue;
        };
        let held = prose[i].max(class_prose.get(attrs.class).copied().unwrap_or(0));
        if !reason.overruled(held, page_prose) {
            verdict[i] = Some(reason);
        }
    }
    extend_to_titled_sections(dom, &mut verdict);
    Markup {
        verdict,
        body_marker,
        standfirst,
    }
}

/// Blocks of text shorter than this (visible characters) are not prose.
const PROSE_MIN_CHARS: u32 = 40;
/// Blocks with more than this share of their text in links are not prose.
const PROSE_MAX_LINK_DENSITY: f64 = 0.3;

/// Visible characters of prose under each node: the text of each block-level element that
/// is not inside a nested block (a paragraph, or the text set directly in a container),
/// counted when it is long enough and not mostly links. Measured before any judgement, so
/// that no judgement removes most of it.
pub(crate) fn prose(dom: &Dom<'_>) -> Vec<u32> {
    let n = dom.len();
    let mut owner = vec![0u32; n];
    let mut in_link = vec![false; n];
    let mut direct = vec![0u32; n];
    let mut direct_links = vec![0u32; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        let parent = node.parent as usize;
        owner[i] = if node.tag.is_block() || parent == i {
            i as u32
        } else {
            owner[parent]
        };
        in_link[i] = node.tag == Tag::A || (parent != i && in_link[parent]);
        if node.tag == Tag::Text && node.chars > 0 {
            let o = owner[i] as usize;
            direct[o] += node.chars;
            if in_link[i] {
                direct_links[o] += node.chars;
            }
        }
    }
    let mut prose: Vec<u32> = (0..n)
        .map(|i| {
            let is_prose = direct[i] >= PROSE_MIN_CHARS
                && f64::from(direct_links[i]) <= PROSE_MAX_LINK_DENSITY * f64::from(direct[i]);
            if is_prose {
                direct[i] - direct_links[i]
            } else {
                0
            }
        })
        .collect();
    for i in (1..n).rev() {
        let parent = dom.nodes[i].parent as usize;
        if parent != i {
            prose[parent] += prose[i];
        }
    }
    prose
}

/// An id made of the words of a heading or a sentence ("sharing-with-friends",
/// "how-we-built-it"): at least three words, one of them a little word of a sentence.
fn is_slug(id: &str) -> bool {
    const LITTLE: &[&[u8]] = &[
        b"a", b"an", b"the", b"of", b"with", b"and", b"to", b"for", b"in", b"on", b"how", b"what",
        b"why", b"when", b"your", b"you", b"we", b"our", b"my", b"is", b"are", b"from", b"by",
        b"at", b"it", b"this", b"de", b"la", b"le", b"les", b"des", b"el", b"los", b"der", b"die",
        b"das", b"und", b"mit", b"von", b"zu",
    ];
    if id.len() < 8 {
        return false;
    }
    let words = Words::of(id);
    words.count >= 3 && words.iter().any(|w| LITTLE.contains(&w))
}

/// A section whose first words are a heading marked as related links or comments ("You
/// may also like", "12 comments") is that, all of it, however long (comments can be longer
/// than the article).
fn extend_to_titled_sections(dom: &Dom<'_>, verdict: &mut [Option<Reason>]) {
    for i in 0..dom.len() {
        let node = &dom.nodes[i];
        let parent = node.parent as usize;
        let titled = matches!(node.tag, Tag::H(_))
            && matches!(verdict[i], Some(Reason::Related | Reason::Comments))
            && verdict[parent].is_none()
            && !matches!(
                dom.nodes[parent].tag,
                Tag::Body | Tag::Html | Tag::Main | Tag::Document
            );
        if !titled {
            continue;
        }
        let first_with_text = dom
            .children(parent as u32)
            .find(|&c| dom.nodes[c as usize].chars > 0);
        if first_with_text == Some(i as u32) {
            let reason = verdict[i];
            for v in &mut verdict[parent..dom.end(parent as u32) as usize] {
                if v.is_none() {
                    *v = reason;
                }
            }
        }
    }
}

/// Elements made of several links and nothing else: inside a paragraph, a hover card with
/// a person's latest stories or a list of related links (sentences do not read that way).
/// Only the innermost such element counts, so that a linked name in the sentence stays when
/// its card goes.
fn link_clusters(dom: &Dom<'_>) -> Vec<bool> {
    let is_cluster = |n: &super::dom::Node<'_>| {
        n.tag != Tag::A
            && n.links >= 3
            && n.chars >= 80
            && f64::from(n.link_chars) >= 0.9 * f64::from(n.chars)
    };
    // The link text held by the largest cluster below each node.
    let mut inner = vec![0u32; dom.len()];
    let mut clusters = vec![false; dom.len()];
    for i in (1..dom.len()).rev() {
        let node = &dom.nodes[i];
        clusters[i] = is_cluster(node) && f64::from(inner[i]) < 0.8 * f64::from(node.link_chars);
        let held = if is_cluster(node) {
            node.link_chars
        } else {
            inner[i]
        };
        let parent = node.parent as usize;
        inner[parent] = inner[parent].max(held);
    }
    clusters
}

/// The attributes that markup judgements read.
#[derive(Default)]
struct Attrs<'a> {
    class: &'a str,
    id: &'a str,
    role: &'a str,
    hidden: bool,
    article_body: bool,
    /// `itemprop="description"` or `"abstract"` (a standfirst).
    description: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a scraper::node::Element) -> Attrs<'a> {
        let mut attrs = Attrs::default();
        let mut hidden_attribute = false;
        for (name, value) in el.attrs() {
            match name {
                "class" => attrs.class = value,
                "id" => attrs.id = value,
                "role" => attrs.role = value,
                "hidden" => hidden_attribute = true,
                "aria-hidden" => attrs.hidden |= value.trim().eq_ignore_ascii_case("true"),
                "style" => attrs.hidden |= style_hides(value),
                "itemprop" => {
                    for v in value.split_ascii_whitespace() {
                        attrs.article_body |= v == "articleBody";
                        attrs.description |= v == "description" || v == "abstract";
                    }
                }
                _ => {}
            }
        }
        attrs.hidden |= hidden_attribute && !streamed_boundary(attrs.id);
        attrs
    }
}

/// React's streamed Suspense boundary (`<div hidden id="S:0">`, the id's number in hex): the
/// server sends the rest of the page first and this part later, hidden, and a script moves it
/// into place and shows it at once. Pages streamed this way (Next.js and others) often have
/// their whole article in one.
fn streamed_boundary(id: &str) -> bool {
    id.strip_prefix("S:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The judgement on one element, from its own markup.
fn judge(
    tag: Tag,
    attrs: &Attrs<'_>,
    by_name: Option<Reason>,
    inside_paragraph: bool,
) -> Option<Reason> {
    if matches!(tag, Tag::Html | Tag::Body | Tag::Main | Tag::Document) {
        return None;
    }
    if attrs.hidden {
        return Some(Reason::Hidden);
    }
    let by_tag = match tag {
        Tag::Nav => Some(Reason::Navigation),
        Tag::Header => Some(Reason::Header),
        Tag::Footer => Some(Reason::Footer),
        Tag::Aside => Some(Reason::Sidebar),
        Tag::Figcaption => Some(Reason::Caption),
        Tag::Form => Some(Reason::Form),
        _ => None,
    };
    if by_tag.is_some() {
        return by_tag;
    }
    let role = attrs.role.trim();
    let is = |name: &str| role.eq_ignore_ascii_case(name);
    let by_role = if ["navigation", "menu", "menubar", "search", "tablist"]
        .iter()
        .any(|r| is(r))
    {
        Some(Reason::Navigation)
    } else if is("banner") {
        Some(Reason::Header)
    } else if is("contentinfo") {
        Some(Reason::Footer)
    } else if is("complementary") {
        Some(Reason::Sidebar)
    } else if is("dialog") || is("alertdialog") {
        Some(Reason::Popup)
    } else {
        None
    };
    if by_role.is_some() {
        return by_role;
    }
    // Inside a paragraph only what is plainly not text is removed: a caption, a credit or an
    // ad label, not a "dateline" or an "author" span in the middle of a sentence.
    match by_name {
        Some(Reason::Hidden | Reason::Ad | Reason::Share | Reason::Caption | Reason::Gallery)
            if inside_paragraph =>
        {
            by_name
        }
        Some(_) if inside_paragraph => None,
        _ => by_name,
    }
}

/// What the names of a class attribute (or an id) say.
#[derive(Debug, Clone, Copy, Default)]
struct Names {
    /// The first judgement among them.
    reason: Option<Reason>,
    /// The strongest body marker among them.
    body: u8,
    standfirst: bool,
}

/// Judges the names of a class attribute (or an id); `by_name` keeps what each name said,
/// for the next attribute that has it.
fn judge_names<'a>(value: &'a str, by_name: &mut FxHashMap<&'a str, Names>) -> Names {
    let mut names = Names::default();
    for name in value.split_ascii_whitespace() {
        let one = *by_name.entry(name).or_insert_with(|| judged_name(name));
        names.reason = names.reason.or(one.reason);
        names.body = names.body.max(one.body);
        names.standfirst |= one.standfirst;
    }
    // An embedded post ("social-media-embed", "article-widget article-tweet") is quoted in
    // the article, not a share button or a sidebar widget.
    if matches!(names.reason, Some(Reason::Share | Reason::Sidebar)) && EMBED_PARTS.is_match(value)
    {
        names.reason = None;
    }
    names
}

thread_local! {
    /// Names judged on a thread so far, kept from page to page (a site's pages repeat
    /// their names), up to [`NAMES_KEPT`] of them.
    static JUDGED: std::cell::RefCell<FxHashMap<Box<str>, Names>> =
        std::cell::RefCell::new(FxHashMap::default());
}
const NAMES_KEPT: usize = 100_000;

/// What one class name or id says.
fn judged_name(name: &str) -> Names {
    if let Some(names) = JUDGED.with_borrow(|judged| judged.get(name).copied()) {
        return names;
    }
    let words = Words::of(name);
    let names = Names {
        reason: judge_words(name, &words),
        body: name_strength(&words).unwrap_or(0),
        standfirst: names_standfirst(&words),
    };
    JUDGED.with_borrow_mut(|judged| {
        if judged.len() >= NAMES_KEPT {
            judged.clear();
        }
        judged.insert(name.into(), names);
    });
    names
}

/// `display: none` or `visibility: hidden` in an inline style.
fn style_hides(style: &str) -> bool {
    let mut compact = [0u8; 256];
    let mut len = 0;
    for b in style.bytes().filter(|b| !b.is_ascii_whitespace()) {
        if len == compact.len() {
            break;
        }
        compact[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let compact = &compact[..len];
    let has = |needle: &[u8]| compact.windows(needle.len()).any(|w| w == needle);
    has(b"display:none") || has(b"visibility:hidden")
}

/// A class name or id of a standfirst: "standfirst", "article-summary", "dek", "lede",
/// "subtitle", "intro" (and "chapo", "sapo", "entradilla", "bajada", "vorspann", "sommario",
/// "anons" of French, Portuguese, Spanish, German, Italian and Russian newsrooms).
fn names_standfirst(words: &Words) -> bool {
    words.iter().any(|w| word_facts(w).standfirst)
        || matches!(words.joined(), b"lead" | b"articlelead" | b"storylead")
}

const STANDFIRST_WORDS: &[&str] = &[
    "standfirst",
    "dek",
    "deck",
    "lede",
    "intro",
    "summary",
    "subtitle",
    "subheadline",
    "subhead",
    "excerpt",
    "abstract",
    "sapo",
    "chapo",
    "chapeau",
    "entradilla",
    "bajada",
    "leadtext",
    "leadin",
    "vorspann",
    "sommario",
    "anons",
];

/// Judges one class name or id ("social-share", "relatedStories", "sr-only") by its whole
/// words, never by a piece inside a word ("commented", "shareholders"). When a name
/// says two things ("comment-share"), the earlier reason in [`Reason`]'s order of
/// [`priority`] wins.
#[cfg(test)]
fn judge_name(name: &str) -> Option<Reason> {
    judge_words(name, &Words::of(name))
}

/// Judges one class name or id, split into its words.
fn judge_words(name: &str, words: &Words) -> Option<Reason> {
    if HIDDEN_NAMES.iter().any(|h| h.eq_ignore_ascii_case(name)) {
        return Some(Reason::Hidden);
    }
    let mut best: Option<Reason> = None;
    let mut consider = |r: Reason| {
        if best.is_none_or(|b| priority(r) < priority(b)) {
            best = Some(r);
        }
    };
    let mut previous: &[u8] = b"";
    // The words after "has", "with", "no" say what the element holds or lacks, not what
    // it is: "post has-profile", "col-with-ad", "page-no-sidebar".
    for word in words.iter().take_while(|w| !HOLDS_WORDS.contains(w)) {
        if let Some(r) = compound_reason(word) {
            consider(r);
        }
        if let Some(r) = pair_reason(previous, word) {
            consider(r);
        }
        previous = word;
    }
    if name.eq_ignore_ascii_case("tag") {
        consider(Reason::Tags);
    }
    if let Some(r) = phrase_reason(words.joined()) {
        consider(r);
    }
    best
}

/// Words after which a name says what its element holds or lacks ([`judge_words`]).
const HOLDS_WORDS: &[&[u8]] = &[
    b"has", b"with", b"without", b"no", b"mit", b"ohne", b"avec", b"sans", b"con", b"sin",
];

/// When one name says two things, the more specific judgement wins.
fn priority(r: Reason) -> u8 {
    match r {
        Reason::Hidden => 0,
        Reason::Comments => 1,
        Reason::Newsletter => 2,
        Reason::Consent => 3,
        Reason::Share => 4,
        Reason::Related => 5,
        Reason::Ad => 6,
        Reason::Caption => 7,
        Reason::Gallery => 8,
        Reason::Byline => 9,
        Reason::Navigation => 10,
        Reason::Sidebar => 11,
        Reason::Footer => 12,
        Reason::Tags => 13,
        Reason::Popup => 14,
        Reason::Header => 15,
        Reason::Form => 16,
    }
}

/// Words of names that mean the same alone or joined with others into one word
/// ("socialShare", "newsletterbox", "sitefooter"; see [`compound_reason`]).
const PARTS: &[(&str, Reason)] = &[
    ("comment", Reason::Comments),
    ("disqus", Reason::Comments),
    ("newsletter", Reason::Newsletter),
    ("cookie", Reason::Consent),
    ("share", Reason::Share),
    ("social", Reason::Share),
    ("related", Reason::Related),
    ("recommend", Reason::Related),
    ("recommended", Reason::Related),
    ("recommendation", Reason::Related),
    ("recommendations", Reason::Related),
    ("outbrain", Reason::Related),
    ("taboola", Reason::Related),
    ("trending", Reason::Related),
    ("popular", Reason::Related),
    ("mostread", Reason::Related),
    ("advert", Reason::Ad),
    ("caption", Reason::Caption),
    ("byline", Reason::Byline),
    ("breadcrumb", Reason::Navigation),
    ("navigation", Reason::Navigation),
    ("sidebar", Reason::Sidebar),
    ("footer", Reason::Footer),
    // The same in the languages of other newsrooms' CMSs (German, French, Spanish,
    // Italian, Portuguese, and Russian or Ukrainian written in Latin letters).
    ("kommentare", Reason::Comments),
    ("comentarios", Reason::Comments),
    ("komentar", Reason::Comments),
    ("komentari", Reason::Comments),
    ("kommentarii", Reason::Comments),
    ("werbung", Reason::Ad),
    ("publicite", Reason::Ad),
    ("publicidad", Reason::Ad),
    ("publicidade", Reason::Ad),
    ("pubblicita", Reason::Ad),
    ("reklam", Reason::Ad),
    ("reklama", Reason::Ad),
    ("relacionada", Reason::Related),
    ("relacionado", Reason::Related),
    ("correlati", Reason::Related),
    ("correlate", Reason::Related),
    ("correlato", Reason::Related),
    ("meistgelesen", Reason::Related),
    ("bildunterschrift", Reason::Caption),
    ("bildnachweis", Reason::Caption),
    ("fotonachweis", Reason::Caption),
    ("navegacion", Reason::Navigation),
    ("seitenleiste", Reason::Sidebar),
    ("fusszeile", Reason::Footer),
    ("fussbereich", Reason::Footer),
];

/// Words that name no part of the page alone but join the words of [`PARTS`] and
/// [`WORDS`] into one word of a name ("commentlist", "sharebar", "postfooter",
/// "leserkommentare").
#[rustfmt::skip]
const JOINERS: &[&str] = &[
    "box", "bar", "bars", "list", "lists", "area", "block", "blocks", "wrap", "wrapper",
    "wrappers", "container", "cont", "section", "sections", "module", "modules", "link", "links",
    "button", "buttons", "btn", "btns", "tool", "tools", "form", "panel", "holder", "inner",
    "outer", "icon", "icons", "item", "items", "title", "titles", "header", "head", "heading",
    "top", "bottom", "main", "site", "page", "global", "sub", "post", "posts", "article",
    "articles", "entry", "story", "stories", "left", "right", "mobile", "desktop", "col",
    "column", "unit", "units", "slot", "slots", "content", "contents", "body", "text", "label",
    "zone", "frame", "card", "cards", "group", "row", "feed", "thread", "threads", "user",
    "users", "reader", "readers", "leser", "image", "img", "photo", "pic", "figure", "fig",
    "media", "video", "count", "number", "num", "sticky", "fixed", "float", "floating",
    "primary", "secondary", "widget", "widgets", "section", "email", "mail", "print", "login",
    "wp", "jp", "fb", "js",
];

/// Endings that a word of [`PARTS`] or [`WORDS`] may take ("comments", "kommentaren").
const ENDINGS: &[&str] = &["s", "es", "e", "en", "n"];

/// One word that [`compound_reason`] looks for inside a word of a name.
#[derive(Clone, Copy)]
enum Piece {
    Names(Reason),
    Joins,
    Ends,
}

static PIECES: LazyLock<(AhoCorasick, Vec<Piece>)> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let mut pieces = Vec::new();
    for &(part, reason) in PARTS {
        words.push(part);
        pieces.push(Piece::Names(reason));
    }
    for &(reason, list) in WORDS {
        for w in list {
            words.push(w);
            pieces.push(Piece::Names(reason));
        }
    }
    for w in JOINERS {
        words.push(w);
        pieces.push(Piece::Joins);
    }
    for w in ENDINGS {
        words.push(w);
        pieces.push(Piece::Ends);
    }
    let searcher = AhoCorasick::builder()
        .start_kind(aho_corasick::StartKind::Anchored)
        .build(words)
        .expect("valid patterns");
    (searcher, pieces)
});

/// What one word of a name (lowercased) says when it is a word of [`PARTS`] or [`WORDS`], or
/// made of them and [`JOINERS`] from end to end, each perhaps with one of [`ENDINGS`]
/// ("commentlist", "socialshare", "leserkommentare"); digits at its end do not count
/// ("comment123"). A word with any other piece in it says nothing: "commented",
/// "shareholders", "unrelated", "commentary".
fn compound_reason(word: &[u8]) -> Option<Reason> {
    const MAX: usize = 40;
    let end = word.len() - word.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let word = &word[..end];
    if word.is_empty() || word.len() > MAX {
        return None;
    }
    let (searcher, pieces) = &*PIECES;
    // reach[i]: the first i bytes are made of pieces, and what they name; named[i]: the
    // last of them names a part of the page (an ending may follow). Only the pieces that
    // start where others end are looked for (an anchored search from each such place), so
    // that a word with no piece at its start costs one look.
    let mut reach: [Option<Named>; MAX + 1] = [None; MAX + 1];
    let mut named = [false; MAX + 1];
    reach[0] = Some(Named::Nothing);
    for start in 0..word.len() {
        let Some(so_far) = reach[start] else { continue };
        let input = aho_corasick::Input::new(word)
            .range(start..)
            .anchored(aho_corasick::Anchored::Yes);
        let mut state = aho_corasick::automaton::OverlappingState::start();
        loop {
            searcher.find_overlapping(input.clone(), &mut state);
            let Some(m) = state.get_match() else { break };
            // A state's matches include the pieces that end its path ("ad" in "head").
            if m.start() != start {
                continue;
            }
            let (end, piece) = (m.end(), pieces[m.pattern().as_usize()]);
            let with = match piece {
                Piece::Names(r) => so_far.and(Named::One(r)),
                Piece::Joins => so_far,
                Piece::Ends if named[start] => so_far,
                Piece::Ends => continue,
            };
            reach[end] = Some(reach[end].map_or(with, |other| other.or(with)));
            named[end] |= matches!(piece, Piece::Names(_));
        }
    }
    match reach[word.len()] {
        Some(Named::One(r)) => Some(r),
        _ => None,
    }
}

/// What the pieces of a word name: a word that joins words of two different parts of the
/// page ("adrail": an ad and a side rail, in the name of a layout grid) names neither.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    Nothing,
    One(Reason),
    Two,
}

impl Named {
    /// Both pieces in one word.
    fn and(self, other: Named) -> Named {
        match (self, other) {
            (Named::Nothing, x) | (x, Named::Nothing) => x,
            (Named::One(a), Named::One(b)) if a == b => Named::One(a),
            _ => Named::Two,
        }
    }

    /// One way or another of reading a word: the reading that names one part wins.
    fn or(self, other: Named) -> Named {
        match (self, other) {
            (Named::One(a), Named::One(b)) => {
                Named::One(if priority(b) < priority(a) { b } else { a })
            }
            (Named::One(a), _) | (_, Named::One(a)) => Named::One(a),
            (Named::Two, _) | (_, Named::Two) => Named::Two,
            _ => Named::Nothing,
        }
    }
}

static EMBED_PARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["embed", "tweet", "instagram-media", "tiktok"])
        .expect("valid patterns")
});

/// Whole words of names: English first, then the same in German, French, Spanish, Italian,
/// Portuguese, and Russian or Ukrainian in Latin letters (newsrooms name their CSS in their
/// own language). Words that are also article words elsewhere stay out: "kommentar" is an
/// opinion piece in German, "data" a date only outside English; "cmp" alone is a component
/// of Adobe Experience Manager ("cmp-text", "cmp-container" around a whole page), a consent
/// platform only as consentmanager's "cmpbox" and "cmpwrapper".
#[rustfmt::skip]
const WORDS: &[(Reason, &[&str])] = &[
    (Reason::Comments, &["replies", "respond", "dsq", "commentaires", "reacties", "leserbriefe"]),
    (Reason::Newsletter, &["subscribe", "subscription", "signup", "optin", "mailing",
        "abonnieren", "abonnement", "abonnez", "suscribete", "suscripcion", "suscribirse",
        "iscriviti", "podpiska", "pidpyska"]),
    (Reason::Consent, &["consent", "gdpr", "cmpbox", "cmpwrapper", "einwilligung",
        "consentement", "consentimiento"]),
    (Reason::Share, &["sharing", "addthis", "sharethis", "sociable", "follow", "teilen",
        "partage", "partager", "compartir", "compartilhar", "condividi", "podelitsya",
        "podilytysya"]),
    (Reason::Related, &["recirc", "recirculation", "teaser", "teasers", "promo", "cta",
        "suggested", "verwandte", "empfehlungen", "lesetipps", "recomendados", "relacionados",
        "relacionadas", "consigliati", "pokhozhie"]),
    (Reason::Ad, &["ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising",
        "advertorial", "sponsor", "sponsored", "sponsors", "dfp", "adsense", "adslot", "adunit",
        "adsbygoogle", "banner", "gpt", "anzeige", "anzeigen", "anuncio", "anuncios"]),
    (Reason::Caption, &["credit", "credits", "copyright", "legende", "leyenda", "didascalia",
        "legenda", "credito", "creditos"]),
    (Reason::Gallery, &["gallery", "slideshow", "carousel", "slider", "slidecount", "counter",
        "count", "bildergalerie", "galerie", "galeria", "galleria", "diaporama"]),
    (Reason::Byline, &["author", "authors", "contributor", "contributors", "writer", "meta",
        "timestamp", "date", "dates", "bylines", "profile", "signature", "rating", "ratings",
        "autor", "autoren", "auteur", "auteurs", "autore", "autores", "datum", "fecha"]),
    (Reason::Navigation, &["nav", "navbar", "menu", "menubar", "pagination", "pager", "toolbar",
        "topbar", "skip", "masthead", "menue", "hauptmenue", "menyu", "navigace"]),
    (Reason::Sidebar, &["widget", "widgets", "rail", "randspalte"]),
    (Reason::Tags, &["tags", "tagcloud", "keywords", "categories", "schlagworte",
        "schlagwoerter", "stichworte", "etiquetas", "etichette", "teghy", "tegi"]),
    (Reason::Popup, &["modal", "popup", "overlay", "lightbox", "interstitial", "toast"]),
];

/// What one word of a name says ([`WORDS`], [`BODY_WORDS`], [`STANDFIRST_WORDS`]), found
/// with one look-up: a page has hundreds of names, each of a few words, and comparing each
/// word with every list in turn was a tenth of the extraction's time.
#[derive(Debug, Clone, Copy, Default)]
struct WordFacts {
    reason: Option<Reason>,
    /// A generic word of the article body ("content", "post").
    body: bool,
    standfirst: bool,
}

static WORD_FACTS: LazyLock<FxHashMap<&'static [u8], WordFacts>> = LazyLock::new(|| {
    let mut table: FxHashMap<&'static [u8], WordFacts> = FxHashMap::default();
    for &(reason, words) in WORDS {
        for w in words {
            table.entry(w.as_bytes()).or_default().reason = Some(reason);
        }
    }
    for w in BODY_WORDS {
        table.entry(w.as_bytes()).or_default().body = true;
    }
    for w in STANDFIRST_WORDS {
        table.entry(w.as_bytes()).or_default().standfirst = true;
    }
    table
});

fn word_facts(word: &[u8]) -> WordFacts {
    WORD_FACTS.get(word).copied().unwrap_or_default()
}

/// Two adjacent words of names ("most-read", "sign_up", "sideBar").
fn pair_reason(first: &[u8], second: &[u8]) -> Option<Reason> {
    let reason = match (first, second) {
        (b"sign", b"up") => Reason::Newsletter,
        (b"most", b"read" | b"viewed")
        | (b"more", b"stories" | b"articles" | b"news")
        | (b"also", b"read")
        | (b"read", b"next")
        | (b"next", b"article")
        | (b"up", b"next")
        | (b"to", b"action") => Reason::Related,
        (b"weitere", b"artikel" | b"nachrichten" | b"meldungen" | b"themen")
        | (b"mehr", b"zum")
        | (b"lesen", b"sie")
        | (b"lire", b"aussi")
        | (b"meme", b"sujet")
        | (b"plus", b"lus")
        | (b"mas", b"leidas" | b"leido" | b"vistas" | b"noticias")
        | (b"puede", b"interesar")
        | (b"leia", b"tambem")
        | (b"leggi", b"anche")
        | (b"chitayte", b"takzhe")
        | (b"chytayte", b"takozh")
        | (b"shche", b"novyny")
        | (b"drugie", b"novosti") => Reason::Related,
        (b"side", b"bar") | (b"barra", b"lateral") => Reason::Sidebar,
        (b"tag", b"list") | (b"mots", b"cles") => Reason::Tags,
        (b"fil", b"ariane") => Reason::Navigation,
        _ => return None,
    };
    Some(reason)
}

/// Names of several words whose parts say nothing alone: the Spanish and French "foot of
/// the photo" (a caption) and "foot of the page" (the footer).
fn phrase_reason(joined: &[u8]) -> Option<Reason> {
    const PHRASES: &[(&[u8], Reason)] = &[
        (b"piedefoto", Reason::Caption),
        (b"piedeimagen", Reason::Caption),
        (b"piedepagina", Reason::Footer),
        (b"piedepage", Reason::Footer),
    ];
    // All of them start with "pie"; most names have no "pie" in them.
    let at = memchr::memmem::find(joined, b"pie")?;
    let rest = &joined[at..];
    PHRASES
        .iter()
        .find(|(phrase, _)| rest.windows(phrase.len()).any(|w| w == *phrase))
        .map(|&(_, reason)| reason)
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
    // Marks what search engines and readers should skip (WordPress/Jetpack, Yahoo).
    "robots-nocontent",
    "nocontent",
];

/// The words of a class name or id, lowercased, split at punctuation and at lower-to-upper
/// case changes ("relatedStories" and "related-stories" both give "related", "stories"),
/// without allocating.
struct Words {
    lower: [u8; Words::MAX],
    bounds: [(u8, u8); 16],
    count: usize,
    /// The words run together ("relatedstories").
    joined: [u8; Words::MAX],
    joined_len: usize,
}

impl Words {
    /// Longer names are cut (no marker word is that far in).
    const MAX: usize = 64;

    fn of(name: &str) -> Words {
        let mut words = Words {
            lower: [0; Words::MAX],
            bounds: [(0, 0); 16],
            count: 0,
            joined: [0; Words::MAX],
            joined_len: 0,
        };
        let bytes = &name.as_bytes()[..name.len().min(Words::MAX)];
        let mut start: Option<usize> = None;
        let mut prev_lower = false;
        for (i, &b) in bytes.iter().enumerate() {
            words.lower[i] = b.to_ascii_lowercase();
            let alnum = b.is_ascii_alphanumeric();
            let camel_break = b.is_ascii_uppercase() && prev_lower;
            if let Some(s) = start
                && (!alnum || camel_break)
            {
                words.push(s, i);
                start = None;
            }
            if alnum && start.is_none() {
                start = Some(i);
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        }
        if let Some(s) = start {
            words.push(s, bytes.len());
        }
        words
    }

    fn push(&mut self, start: usize, end: usize) {
        if self.count < self.bounds.len() {
            self.bounds[self.count] = (start as u8, end as u8);
            self.count += 1;
            let len = end - start;
            self.joined[self.joined_len..self.joined_len + len]
                .copy_from_slice(&self.lower[start..end]);
            self.joined_len += len;
        }
    }

    fn joined(&self) -> &[u8] {
        &self.joined[..self.joined_len]
    }

    /// The words, as bytes (ASCII letters and digits only).
    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.bounds[..self.count]
            .iter()
            .map(|&(s, e)| &self.lower[s as usize..e as usize])
    }
}

/// How strongly a class name or id names the article body: 2 for a body name
/// ("article-body", "entry-content", "storyText"), 1 for a generic word ("content", "post").
fn name_strength(words: &Words) -> Option<u8> {
    let joined = words.joined();
    const STRONG: &[&[u8]] = &[
        b"articlebody",
        b"articlecontent",
        b"articletext",
        b"articlecopy",
        b"storybody",
        b"storycontent",
        b"storytext",
        b"entrycontent",
        b"postcontent",
        b"postbody",
        b"posttext",
        b"postentry",
        b"bodytext",
        b"newsbody",
        b"newscontent",
        b"newstext",
        b"contentbody",
        b"richtext",
        b"textcontent",
        b"fulltext",
        b"maintext",
        b"articlemain",
        b"singlecontent",
        b"blogcontent",
        b"blogpost",
        b"entrybody",
        b"storycopy",
        b"bodycopy",
        // The same in other newsrooms' languages.
        b"artikeltext",
        b"artikelinhalt",
        b"artikelbody",
        b"beitragstext",
        b"contenuarticle",
        b"corpsarticle",
        b"textearticle",
        b"articlecontenu",
        b"articlecorps",
        b"articletexte",
        b"cuerponoticia",
        b"cuerpoarticulo",
        b"cuerponota",
        b"textonoticia",
        b"contenidonoticia",
        b"articulocuerpo",
        b"noticiacuerpo",
        b"corpoarticolo",
        b"testoarticolo",
        b"articolotesto",
        b"textomateria",
        b"conteudomateria",
        b"corpomateria",
        b"materiaconteudo",
        b"tekstnovyny",
        b"tekstnovosti",
        b"tekststati",
        b"statyatekst",
    ];
    // The last letter first: most names end with none of them, and a page has hundreds.
    let last = joined.last().copied();
    if STRONG
        .iter()
        .any(|s| s.last().copied() == last && joined.ends_with(s))
    {
        return Some(2);
    }
    if words.iter().any(|w| word_facts(w).body) {
        return Some(1);
    }
    None
}

/// Generic words of the article body, in the languages of [`WORDS`].
const BODY_WORDS: &[&str] = &[
    "article",
    "story",
    "post",
    "entry",
    "content",
    "body",
    "text",
    "main",
    "artikel",
    "beitrag",
    "inhalt",
    "contenu",
    "texte",
    "articulo",
    "noticia",
    "contenido",
    "texto",
    "articolo",
    "contenuto",
    "testo",
    "materia",
    "conteudo",
    "tekst",
    "statya",
    "novyna",
    "novost",
    "honbun",
    "zhengwen",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_into_words() {
        let words = |s: &str| {
            Words::of(s)
                .iter()
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(words("relatedStories"), ["related", "stories"]);
        assert_eq!(words("most-read_box"), ["most", "read", "box"]);
        assert_eq!(words("URLBox"), ["urlbox"]);
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
        assert_eq!(judge_name("cmp-text"), None);
        assert_eq!(judge_name("cmpbox"), Some(Reason::Consent));
        let judge_names = |value| judge_names(value, &mut FxHashMap::default());
        assert_eq!(judge_names("social-media-embed").reason, None);
        assert_eq!(judge_names("article-widget article-tweet").reason, None);
        assert_eq!(judge_names("article-widget").reason, Some(Reason::Sidebar));
    }

    #[test]
    fn knows_react_streamed_boundaries() {
        assert!(streamed_boundary("S:0"));
        assert!(streamed_boundary("S:1f"));
        assert!(!streamed_boundary("S:"));
        assert!(!streamed_boundary("S:menu"));
        assert!(!streamed_boundary("B:0"));
    }

    #[test]
    fn judges_whole_words_not_pieces_of_words() {
        assert_eq!(judge_name("most-commented"), None);
        assert_eq!(judge_name("shareholders-letter"), None);
        assert_eq!(judge_name("unrelated"), None);
        assert_eq!(judge_name("commentlist"), Some(Reason::Comments));
        assert_eq!(judge_name("socialshare"), Some(Reason::Share));
        assert_eq!(judge_name("sitefooter2"), Some(Reason::Footer));
        assert_eq!(judge_name("comments"), Some(Reason::Comments));
        // Two parts of the page in one word name neither.
        assert_eq!(judge_name("grid-layout--adrail"), None);
        assert!(is_slug("sharing-the-road-with-ploughs"));
        assert!(!is_slug("share-bar"));
        assert!(!is_slug("most-read-stories"));
    }

    #[test]
    fn a_name_of_what_an_element_holds_is_not_what_it_is() {
        assert_eq!(judge_name("has-sidebar"), None);
        assert_eq!(judge_name("col-with-ad"), None);
        assert_eq!(judge_name("page-no-comments"), None);
        assert_eq!(judge_name("hasProfile"), None);
        assert_eq!(judge_name("sidebar-with-ads"), Some(Reason::Sidebar));
        assert_eq!(judge_name("postprofile"), Some(Reason::Byline));
        assert_eq!(judge_name("call-to-action"), Some(Reason::Related));
    }

    #[test]
    fn judges_names_in_other_languages() {
        assert_eq!(judge_name("kommentar-bereich"), None);
        assert_eq!(judge_name("leserkommentare"), Some(Reason::Comments));
        assert_eq!(judge_name("werbung"), Some(Reason::Ad));
        assert_eq!(judge_name("teilen-leiste"), Some(Reason::Share));
        assert_eq!(judge_name("weitere-artikel"), Some(Reason::Related));
        assert_eq!(judge_name("mehr-zum-thema"), Some(Reason::Related));
        assert_eq!(judge_name("bildunterschrift"), Some(Reason::Caption));
        assert_eq!(judge_name("barre-partage"), Some(Reason::Share));
        assert_eq!(judge_name("sur-le-meme-sujet"), Some(Reason::Related));
        assert_eq!(judge_name("noticias-relacionadas"), Some(Reason::Related));
        assert_eq!(judge_name("pie-de-foto"), Some(Reason::Caption));
        assert_eq!(judge_name("pie-de-pagina"), Some(Reason::Footer));
        assert_eq!(judge_name("pie-chart"), None);
        assert_eq!(judge_name("chytayte-takozh"), Some(Reason::Related));
        assert_eq!(judge_name("komentari"), Some(Reason::Comments));
        let strength = |name: &str| name_strength(&Words::of(name));
        assert_eq!(strength("artikel-text"), Some(2));
        assert_eq!(strength("corps-article"), Some(2));
        assert_eq!(strength("cuerpo-noticia"), Some(2));
        assert_eq!(strength("tekst-novyny"), Some(2));
        assert_eq!(strength("artikel"), Some(1));
        assert!(names_standfirst(&Words::of("vorspann")));
    }
}
