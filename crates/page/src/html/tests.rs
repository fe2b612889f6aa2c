use super::*;

fn show(html: &str) -> Vec<String> {
    tokens(html)
        .map(|t| match t {
            Token::Start(tag) => {
                let attrs: Vec<String> = tag.attrs().map(|(n, v)| format!("{n}={v}")).collect();
                format!("<{} {}>", tag.name, attrs.join(" "))
            }
            Token::End(name) => format!("</{name}>"),
            Token::Text(t) => format!("{t:?}"),
            Token::Raw(tag, body) => format!("raw {}: {body:?}", tag.name),
        })
        .collect()
}

#[test]
fn tags_attributes_text_and_raw_bodies() {
    let html = r#"<!DOCTYPE html><html lang=en><!-- <p>not a tag</p> -->
<meta property="og:title" content='A "quoted" title'><script type="application/ld+json">{"a":"</p>"}</script>
<p class=date data-x>5 < 6 &amp; 17.03.2020</P><br/><title>T &amp; U</title></html>"#;
    assert_eq!(
        show(html),
        [
            "<html lang=en>",
            "\"\\n\"",
            "<meta property=og:title content=A \"quoted\" title>",
            "raw script: \"{\\\"a\\\":\\\"</p>\\\"}\"",
            "\"\\n\"",
            "<p class=date data-x=>",
            "\"5 \"",
            "\"<\"",
            "\" 6 &amp; 17.03.2020\"",
            "</P>",
            "<br >",
            "raw title: \"T &amp; U\"",
            "</html>",
        ]
    );
}

#[test]
fn broken_markup_ends_without_panic() {
    for html in ["<", "<a href='x", "<script>never closed", "<!-- open", "</", "<p", "&#x110000;", "<aé", "<a b='é", "&ééééééé;", "&é;"] {
        let _ = show(html);
        let _ = decode_entities(html);
    }
}

#[test]
fn entities() {
    assert_eq!(
        decode_entities("17&nbsp;mars &amp; f&eacute;vrier &#8211; &#x41;&bogus; &"),
        "17\u{a0}mars & février – A&bogus; &"
    );
}
