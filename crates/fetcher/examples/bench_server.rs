//! A local news site for the fetch benchmark (`bench/fetch.sh`): `/sitemap/<n>.xml` lists n
//! article pages `/p/<i>`, each a realistic ~20 KB page with its own text, dates and canonical
//! link. Prints its base URL on stdout, then serves until stdin closes.

use std::io::Read;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PARAGRAPHS: usize = 40;

fn article(base: &str, i: usize) -> String {
    let mut body = String::with_capacity(24 * 1024);
    body.push_str(&format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {i} | Bench News</title>\
         <meta property=\"og:site_name\" content=\"Bench News\"><meta name=\"author\" content=\"Reporter {r}\">\
         <meta property=\"article:published_time\" content=\"2016-08-24T{h:02}:00:00+02:00\">\
         <link rel=\"canonical\" href=\"{base}/p/{i}\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Report {i}\"}}</script>\
         </head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Report {i}</h1>",
        r = i % 17,
        h = i % 24
    ));
    for p in 0..PARAGRAPHS {
        body.push_str(&format!(
            "<p>Paragraph {p} of report {i}: officials said at least {n} people were injured and {k} were killed \
             when the building collapsed, according to the regional emergency service, which gave no further details \
             about the rescue operation still under way in the town centre.</p>",
            n = (i * 7 + p) % 300,
            k = (i + p) % 40
        ));
    }
    body.push_str("</article><footer>© Bench News</footer></body></html>");
    body
}

fn sitemap(base: &str, n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for i in 0..n {
        xml.push_str(&format!("<url><loc>{base}/p/{i}</loc></url>"));
    }
    xml.push_str("</urlset>");
    xml
}

#[tokio::main]
async fn main() {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let base = server.uri();
    let site = base.clone();
    Mock::given(any())
        .respond_with(move |r: &Request| {
            let path = r.url.path();
            if let Some(n) = path
                .strip_prefix("/sitemap/")
                .and_then(|s| s.strip_suffix(".xml"))
            {
                let n = n.parse().unwrap_or(0);
                return ResponseTemplate::new(200)
                    .set_body_raw(sitemap(&site, n), "application/xml");
            }
            match path.strip_prefix("/p/").and_then(|s| s.parse().ok()) {
                Some(i) => ResponseTemplate::new(200)
                    .set_body_raw(article(&site, i), "text/html; charset=utf-8"),
                None => ResponseTemplate::new(404),
            }
        })
        .mount(&server)
        .await;
    println!("{base}");
    // Serve until whoever started us closes our stdin.
    tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await
    .ok();
}
