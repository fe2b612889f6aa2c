//! One pass over the source before parsing, for two things. Both the fetcher and the
//! normaliser parse a page made lean this way ([`crate::document`]), so that they read the
//! same tree.
//!
//! Nesting depth: an HTML parser's tree builder looks through the stack of open elements for
//! each new tag, so a page nested 100,000 deep takes minutes to parse; browsers cap the depth
//! of the tree they build for the same reason. Tags that would open an element deeper than
//! the limit are dropped (with their end tags), so the text stays and the page parses in
//! linear time.
//!
//! Dead weight: the bodies of scripts and style sheets and the comments are about half the
//! bytes of a news page and none of its text, and of the rest a third is attributes nobody
//! reads here (`srcset`, `data-*`, `onclick`); the parser need not read them. JSON-LD
//! scripts stay (they are metadata), and so does any script whose body holds `<!--`, where
//! the HTML tokenizer's script-escape rules make the end of the script hard to find.

/// Elements whose end tag is optional or that never have content: they do not deepen a
/// page written the usual way, so they are not counted.
fn counted(name: &[u8]) -> bool {
    !matches!(
        name,
        b"area"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"br"
            | b"col"
            | b"colgroup"
            | b"command"
            | b"dd"
            | b"dt"
            | b"embed"
            | b"frame"
            | b"head"
            | b"hr"
            | b"html"
            | b"image"
            | b"img"
            | b"input"
            | b"keygen"
            | b"li"
            | b"link"
            | b"meta"
            | b"option"
            | b"optgroup"
            | b"p"
            | b"param"
            | b"rb"
            | b"rp"
            | b"rt"
            | b"rtc"
            | b"source"
            | b"tbody"
            | b"td"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"tr"
            | b"track"
            | b"wbr"
            | b"body"
    )
}

/// Elements whose content is raw text, where `<div>` is not a tag.
fn raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"plaintext"
    )
}

enum Piece {
    Start,
    End,
    /// A comment, the body of a script or style sheet that the page does not need, or an
    /// attribute that extraction does not read.
    Dead,
}

/// Calls `visit` with each counted start or end tag, and each dead range, with its bytes.
fn scan(html: &str, mut visit: impl FnMut(Piece, usize, usize)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    // memchr's searches, not `str::find`: the standard library's byte search does not use
    // vector instructions, and this loop looks at every byte of the page.
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            i = memchr::memmem::find(&bytes[at + 4..], b"-->")
                .map_or(bytes.len(), |e| at + 4 + e + 3);
            visit(Piece::Dead, at, i);
            continue;
        }
        if rest.first().is_some_and(|&b| b == b'!' || b == b'?') {
            i = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |e| at + e + 1);
            continue;
        }
        let (closing, name_start) = if rest.first() == Some(&b'/') {
            (true, at + 2)
        } else {
            (false, at + 1)
        };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = at + 1;
            continue;
        }
        let name_end = name_start + name_len;
        let mut lower = [0u8; 16];
        let name = &bytes[name_start..name_end];
        let lower = if name.len() <= lower.len() {
            for (l, b) in lower.iter_mut().zip(name) {
                *l = b.to_ascii_lowercase();
            }
            &lower[..name.len()]
        } else {
            // Longer than any standard element: a custom element, counted.
            b"custom-element"
        };
        let mut unused = [(0usize, 0usize); 32];
        let mut unused_count = 0;
        let end = if closing {
            memchr::memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |e| name_end + e + 1)
        } else {
            attributes(bytes, name_end, |name, start, end| {
                // Past 32 unused attributes in one tag, the rest stay (rare; harmless).
                if !used_attribute(lower, name, &bytes[start..end]) && unused_count < unused.len() {
                    unused[unused_count] = (start, end);
                    unused_count += 1;
                }
            })
        };
        if !closing && raw_text(lower) {
            let (body_end, after) = find_end_tag(html, end, lower);
            let body = &html[end..body_end];
            let dead = match lower {
                b"style" => true,
                b"script" => {
                    let tag = &bytes[at..end];
                    !contains_ignore_case(tag, b"ld+json")
                        && memchr::memmem::find(body.as_bytes(), b"<!--").is_none()
                }
                _ => false,
            };
            for &(start, end) in &unused[..unused_count] {
                visit(Piece::Dead, start, end);
            }
            if dead && !body.is_empty() {
                visit(Piece::Dead, end, body_end);
            }
            i = after;
            continue;
        }
        if counted(lower) {
            let piece = if closing { Piece::End } else { Piece::Start };
            visit(piece, at, end);
        }
        for &(start, end) in &unused[..unused_count] {
            visit(Piece::Dead, start, end);
        }
        i = end;
        // The inside of an inline SVG image (icons, logos, charts: shapes, and at most a
        // label or a title such as "Share on Facebook") is no text of the article; the
        // element stays, empty.
        if !closing && lower == b"svg" && !bytes[..end].ends_with(b"/>") {
            let (body_end, _) = find_end_tag(html, end, b"svg");
            if body_end > end {
                visit(Piece::Dead, end, body_end);
            }
            i = body_end;
        }
    }
}

/// Walks the attributes of a start tag whose name ends at `from`, as the HTML tokenizer
/// does (a `>` inside a quoted value does not end the tag), calling `each` with each
/// attribute's name and its byte range (from the white space before it). Returns where the
/// tag ends (after its `>`).
fn attributes(bytes: &[u8], from: usize, mut each: impl FnMut(&[u8], usize, usize)) -> usize {
    let mut i = from;
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return bytes.len();
        }
        if bytes[i] == b'>' {
            return i + 1;
        }
        let name_start = i;
        i += 1;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name_end = i;
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    j = memchr::memchr(quote, &bytes[j + 1..])
                        .map_or(bytes.len(), |p| j + 1 + p + 1);
                }
                _ => {
                    while j < bytes.len() && bytes[j] != b'>' && !bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                }
            }
            i = j;
        }
        each(&bytes[name_start..name_end], start, i);
    }
}

/// The attributes extraction reads (and those the parser needs); the others (`src`,
/// `srcset`, `data-*`, event handlers, link targets) are a third of a page's bytes.
fn used_attribute(element: &[u8], name: &[u8], whole: &[u8]) -> bool {
    const USED: &[&[u8]] = &[
        b"class",
        b"id",
        b"role",
        b"hidden",
        b"aria-hidden",
        b"itemprop",
        b"lang",
        b"rel",
        b"name",
        b"property",
        b"content",
        b"http-equiv",
        b"charset",
        b"datetime",
        b"title",
        b"pubdate",
        b"type",
        b"encoding",
    ];
    if USED.iter().any(|u| u.eq_ignore_ascii_case(name)) {
        return true;
    }
    if name.eq_ignore_ascii_case(b"href") {
        return matches!(element, b"link" | b"base");
    }
    // Inline styles matter only when they hide the element.
    name.eq_ignore_ascii_case(b"style")
        && (contains_ignore_case(whole, b"none") || contains_ignore_case(whole, b"hidden"))
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Where the raw text that starts at `from` ends: where its `</name` starts, and after that
/// end tag's `>` (or the end of the page).
fn find_end_tag(html: &str, from: usize, name: &[u8]) -> (usize, usize) {
    let bytes = html.as_bytes();
    let mut i = from;
    // A one-byte search (memchr) then a look at the next byte: much faster than a
    // two-byte substring search over script bodies.
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        if bytes.get(at + 1) != Some(&b'/') {
            i = at + 1;
            continue;
        }
        let candidate = &bytes[at + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            let after = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |e| at + e + 1);
            return (at, after);
        }
        i = at + 2;
    }
    (bytes.len(), bytes.len())
}

/// The page made lean for parsing.
pub struct Lean {
    /// The page without its dead weight, and without the tags that nest deeper than the
    /// limit (their text stays).
    pub html: String,
    /// The deepest nesting of counted elements in the page as it came.
    pub max_depth: usize,
}

/// Makes a page lean for parsing, nesting cut at `limit`.
pub fn lean(html: &str, limit: usize) -> Lean {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut depth = 0usize;
    let mut excess = 0usize;
    let mut max_depth = 0usize;
    scan(html, |piece, start, end| {
        let drop = match piece {
            Piece::Dead => true,
            Piece::Start if depth >= limit => {
                excess += 1;
                max_depth = max_depth.max(depth + excess);
                true
            }
            Piece::Start => {
                depth += 1;
                max_depth = max_depth.max(depth + excess);
                false
            }
            Piece::End if excess > 0 => {
                excess -= 1;
                true
            }
            Piece::End => {
                depth = depth.saturating_sub(1);
                false
            }
        };
        // An attribute of a tag that is itself dropped is gone already.
        if drop && start >= copied {
            out.push_str(&html[copied..start]);
            if !matches!(piece, Piece::Dead) {
                out.push(' ');
            }
            copied = end;
        }
    });
    out.push_str(&html[copied..]);
    Lean {
        html: out,
        max_depth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_depth_of_containers_only() {
        let depth = |page: &str| lean(page, usize::MAX).max_depth;
        assert_eq!(depth("<div><div><p>a<p>b</div></div>"), 2);
        assert_eq!(depth("<ul><li>a<li>b</ul><br><img src=x>"), 1);
        assert_eq!(
            depth("<!-- <div><div> --><script>'<div>'</script><div></div>"),
            1
        );
    }

    #[test]
    fn flattens_beyond_the_limit() {
        let page = format!("{}text{}", "<div>".repeat(5), "</div>".repeat(5));
        let lean = lean(&page, 2);
        assert_eq!(lean.max_depth, 5);
        let flat = lean.html;
        assert_eq!(super::lean(&flat, 100).max_depth, 2);
        assert!(flat.contains("text"));
        assert_eq!(flat.matches("<div>").count(), 2);
        assert_eq!(flat.matches("</div>").count(), 2);
    }

    #[test]
    fn empties_inline_svg_images() {
        let page =
            "<p>a<svg viewBox=\"0 0 9 9\"><title>Share</title><path d=\"M0\"/></svg>b<svg/>c</p>";
        assert_eq!(lean(page, 100).html, "<p>a<svg></svg>b<svg/>c</p>");
    }

    #[test]
    fn drops_scripts_styles_and_comments_but_not_json_ld() {
        let page = concat!(
            "<head><style>p{color:red}</style>",
            "<script>var a = '<p>not text</p>';</script>",
            "<script type=\"application/ld+json\">{\"headline\":\"x\"}</script>",
            "<script>document.write('<!--<script>x</script>-->');</script></head>",
            "<body><!-- note --><p>text</p></body>"
        );
        let lean = lean(page, 100).html;
        assert_eq!(
            lean,
            concat!(
                "<head><style></style><script></script>",
                "<script type=\"application/ld+json\">{\"headline\":\"x\"}</script>",
                "<script>document.write('<!--<script>x</script>-->');</script></head>",
                "<body><p>text</p></body>"
            )
        );
    }
}
