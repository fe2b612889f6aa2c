//! Nesting depth, measured on the source before parsing. An HTML parser's tree builder looks
//! through the stack of open elements for each new tag, so a page nested 100,000 deep takes
//! minutes to parse; browsers cap the depth of the tree they build for the same reason. Tags
//! that would open an element deeper than the limit are dropped (with their end tags), so
//! the text stays and the page parses in linear time.

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
}

/// Calls `visit` with each counted start or end tag and its byte range.
fn scan(html: &str, mut visit: impl FnMut(Piece, usize, usize)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let at = i + offset;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            i = html[at + 4..]
                .find("-->")
                .map_or(bytes.len(), |e| at + 4 + e + 3);
            continue;
        }
        if rest.first().is_some_and(|&b| b == b'!' || b == b'?') {
            i = html[at..].find('>').map_or(bytes.len(), |e| at + e + 1);
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
        let end = html[name_start..]
            .find('>')
            .map_or(bytes.len(), |e| name_start + e + 1);
        let mut lower = [0u8; 16];
        let name = &bytes[name_start..name_start + name_len];
        let lower = if name.len() <= lower.len() {
            for (l, b) in lower.iter_mut().zip(name) {
                *l = b.to_ascii_lowercase();
            }
            &lower[..name.len()]
        } else {
            // Longer than any standard element: a custom element, counted.
            b"custom-element"
        };
        if !closing && raw_text(lower) {
            i = find_end_tag(html, end, lower);
            continue;
        }
        if counted(lower) {
            let piece = if closing { Piece::End } else { Piece::Start };
            visit(piece, at, end);
        }
        i = end;
    }
}

/// Where the raw text that starts at `from` ends: after `</name>`, or at the end.
fn find_end_tag(html: &str, from: usize, name: &[u8]) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(offset) = html[i..].find("</") {
        let at = i + offset;
        let candidate = &bytes[at + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return html[at..].find('>').map_or(bytes.len(), |e| at + e + 1);
        }
        i = at + 2;
    }
    bytes.len()
}

/// The deepest nesting of counted elements.
pub(crate) fn max_depth(html: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    scan(html, |piece, _, _| match piece {
        Piece::Start => {
            depth += 1;
            max = max.max(depth);
        }
        Piece::End => depth = depth.saturating_sub(1),
    });
    max
}

/// The page without the tags that nest deeper than `limit` (their text stays).
pub(crate) fn flatten(html: &str, limit: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut depth = 0usize;
    let mut excess = 0usize;
    scan(html, |piece, start, end| {
        let drop = match piece {
            Piece::Start if depth >= limit => {
                excess += 1;
                true
            }
            Piece::Start => {
                depth += 1;
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
        if drop {
            out.push_str(&html[copied..start]);
            out.push(' ');
            copied = end;
        }
    });
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_depth_of_containers_only() {
        assert_eq!(max_depth("<div><div><p>a<p>b</div></div>"), 2);
        assert_eq!(max_depth("<ul><li>a<li>b</ul><br><img src=x>"), 1);
        assert_eq!(
            max_depth("<!-- <div><div> --><script>'<div>'</script><div></div>"),
            1
        );
    }

    #[test]
    fn flattens_beyond_the_limit() {
        let page = format!("{}text{}", "<div>".repeat(5), "</div>".repeat(5));
        let flat = flatten(&page, 2);
        assert_eq!(max_depth(&flat), 2);
        assert!(flat.contains("text"));
        assert_eq!(flat.matches("<div>").count(), 2);
        assert_eq!(flat.matches("</div>").count(), 2);
    }
}
