use std::time::{Duration, Instant};
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut pages = Vec::new();
    for sub in ["test_set", "cache", "eval"] {
        for e in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let b = std::fs::read(e.unwrap().path()).unwrap();
            pages.push(page::charset::decode_html(&b, None, None).text);
        }
    }
    let mut t = [Duration::ZERO; 4];
    let now = chrono::Utc::now();
    for html in &pages {
        let s = Instant::now();
        let n = page::html::tokens(html).count();
        t[0] += s.elapsed();
        let s = Instant::now();
        let mut k = 0;
        for t in page::html::tokens(html) {
            if let page::html::Token::Start(tag) = t { k += tag.parsed().attrs.len(); }
        }
        std::hint::black_box(k);
        t[2] += s.elapsed();
        let s = Instant::now();
        let f = page::facts::gather(html);
        t[1] += s.elapsed();
        std::hint::black_box(&f);
        let s = Instant::now();
        let _ = page::meta::read(html, &page::meta::Context { url: None, content_language: None, now });
        t[3] += s.elapsed();
        std::hint::black_box(n);
    }
    let mb: usize = pages.iter().map(|p| p.len()).sum();
    println!("{} pages {} MB: tokens {:?} gather {:?} tokens+attrs {:?} read {:?}", pages.len(), mb / 1_000_000, t[0], t[1], t[2], t[3]);
}
