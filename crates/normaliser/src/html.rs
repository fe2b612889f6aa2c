//! Main-text extraction from HTML.

use corpus::{ArticleMeta, BlockKind, PubTime};
use scraper::{ElementRef, Html, Node, Selector};

use crate::boilerplate::Draft;

/// Element names whose content is never article text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "svg",
    "iframe",
    "figure",
    "figcaption",
];

/// The article's blocks in reading order and the metadata found in the page.
pub fn extract(html: &str) -> (Vec<Draft>, ArticleMeta) {
    let doc = Html::parse_document(html);
    let meta = metadata(&doc);
    let root = ["article", "main", "[itemprop=articleBody]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|sel| doc.select(&sel).next())
        .unwrap_or_else(|| doc.root_element());
    let mut blocks = Vec::new();
    if let Some(title) = &meta.title {
        blocks.push(Draft {
            kind: BlockKind::Title,
            text: title.clone(),
            attribution: None,
        });
    }
    collect(root, &mut blocks);
    if blocks.first().map(|b| b.kind) == Some(BlockKind::Title)
        && blocks
            .get(1)
            .is_some_and(|b| b.kind == BlockKind::Heading && b.text == blocks[0].text)
    {
        blocks.remove(1);
    }
    (blocks, meta)
}

fn collect(element: ElementRef<'_>, out: &mut Vec<Draft>) {
    for child in element.children() {
        let Some(el) = ElementRef::wrap(child) else {
            continue;
        };
        let name = el.value().name();
        if SKIP.contains(&name) {
            continue;
        }
        let kind = match name {
            "p" => Some(BlockKind::Paragraph),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
            "li" => Some(BlockKind::ListItem),
            "blockquote" => Some(BlockKind::Quote),
            "tr" => Some(BlockKind::TableRow),
            _ => None,
        };
        match kind {
            Some(kind) => {
                let text = crate::text::tidy(&text_of(el));
                if !text.is_empty() {
                    out.push(Draft {
                        kind,
                        text,
                        attribution: None,
                    });
                }
            }
            None => collect(el, out),
        }
    }
}

fn text_of(el: ElementRef<'_>) -> String {
    let mut s = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => {
                let skipped = node
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| SKIP.contains(&a.value().name()));
                if !skipped {
                    s.push_str(t);
                }
            }
            Node::Element(e) if e.name() == "br" => s.push(' '),
            _ => {}
        }
    }
    s
}

fn metadata(doc: &Html) -> ArticleMeta {
    let meta_content = |names: &[&str]| {
        names.iter().find_map(|n| {
            let sel =
                Selector::parse(&format!("meta[property=\"{n}\"], meta[name=\"{n}\"]")).ok()?;
            doc.select(&sel)
                .find_map(|m| m.value().attr("content"))
                .map(crate::text::tidy)
                .filter(|s| !s.is_empty())
        })
    };
    let title = meta_content(&["og:title", "twitter:title"]).or_else(|| {
        let sel = Selector::parse("title").ok()?;
        doc.select(&sel)
            .next()
            .map(|t| crate::text::tidy(&t.text().collect::<String>()))
    });
    let published = meta_content(&["article:published_time", "datePublished", "pubdate", "date"])
        .and_then(|s| PubTime::parse(&s).or_else(|| PubTime::parse(s.get(..10)?)));
    let language = Selector::parse("html").ok().and_then(|sel| {
        doc.select(&sel)
            .next()?
            .value()
            .attr("lang")
            .map(str::to_string)
    });
    ArticleMeta {
        title,
        site_name: meta_content(&["og:site_name", "application-name"]),
        published,
        modified: meta_content(&["article:modified_time", "dateModified"])
            .and_then(|s| PubTime::parse(&s)),
        authors: meta_content(&["author", "article:author"])
            .into_iter()
            .collect(),
        language,
        description: meta_content(&["og:description", "description"]),
        canonical_url: Selector::parse("link[rel=canonical]").ok().and_then(|sel| {
            doc.select(&sel)
                .next()?
                .value()
                .attr("href")
                .map(str::to_string)
        }),
    }
}
