//! robots.txt (RFC 9309) for one product token, on the `robotstxt` crate, a port of Google's
//! parser and matcher: groups, longest match, `*` and `$`, percent-encoding of patterns, a
//! missing colon, a user-agent value read up to its first space, `index.html` as its
//! directory, lines cut after 16,663 bytes, and a byte-order mark skipped.
//!
//! The file is read once: the lines of the groups that apply to the token (its own groups,
//! or else the `*` groups) are kept, with the `Sitemap:` lines and the group's
//! `Crawl-delay`. Each URL is then matched against those lines alone, so a long robots.txt
//! written for many other crawlers costs nothing per URL.

use robotstxt::{DefaultMatcher, RobotsParseHandler};

/// What a robots.txt says to one product token.
#[derive(Debug, Clone, PartialEq)]
pub struct Robots {
    token: String,
    /// The rules that apply to the token, as a robots.txt of one group.
    rules: String,
    pub sitemaps: Vec<String>,
    /// `Crawl-delay` of the group that applies, in seconds.
    pub delay: Option<f64>,
}

impl Robots {
    /// Reads a robots.txt body (bytes as served: a UTF-8 byte-order mark is skipped, and
    /// invalid UTF-8 is replaced) for the crawler whose product token is `token`.
    pub fn parse(token: &str, body: &[u8]) -> Robots {
        let text = String::from_utf8_lossy(body);
        let mut groups = Groups::new(token);
        robotstxt::parse_robotstxt(&text, &mut groups);
        groups.into_robots(token)
    }

    /// Whether the token may fetch `url`: an absolute URL, or a path, already percent-encoded
    /// as RFC 3986 says (as `url::Url` gives it). `/robots.txt` itself is always allowed.
    pub fn allowed(&self, url: &str) -> bool {
        if robotstxt::get_path_params_query(url) == "/robots.txt" {
            return true;
        }
        let mut matcher = DefaultMatcher::default();
        matcher.one_agent_allowed_by_robots(&self.rules, &self.token, url)
    }
}

/// Which groups a line belongs to, as Google's matcher decides it: consecutive user-agent
/// lines open one group, and an allow or disallow line closes the run of user-agent lines.
#[derive(Default)]
struct Groups {
    token: String,
    in_global: bool,
    in_specific: bool,
    after_rules: bool,
    ever_specific: bool,
    global: Vec<String>,
    specific: Vec<String>,
    global_delay: Option<f64>,
    specific_delay: Option<f64>,
    sitemaps: Vec<String>,
}

impl Groups {
    fn new(token: &str) -> Groups {
        Groups {
            token: token.to_string(),
            ..Groups::default()
        }
    }

    fn rule(&mut self, line: String) {
        self.after_rules = true;
        if self.in_specific {
            self.specific.push(line);
        } else if self.in_global {
            self.global.push(line);
        }
    }

    fn into_robots(self, token: &str) -> Robots {
        let (agent, lines, delay) = if self.ever_specific {
            (token, self.specific, self.specific_delay)
        } else {
            ("*", self.global, self.global_delay)
        };
        let mut rules = format!("user-agent: {agent}\n");
        for line in lines {
            rules.push_str(&line);
            rules.push('\n');
        }
        Robots {
            token: token.to_string(),
            rules,
            sitemaps: self.sitemaps,
            delay,
        }
    }
}

/// The part of a user-agent value that can be matched: up to the first character outside
/// `[a-zA-Z_-]` (so `Foo Bar` and `Foo/1.2` name `Foo`).
fn agent_name(value: &str) -> &str {
    let end = value
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .unwrap_or(value.len());
    &value[..end]
}

impl RobotsParseHandler for Groups {
    fn handle_robots_start(&mut self) {}

    fn handle_robots_end(&mut self) {}

    fn handle_user_agent(&mut self, _line: u32, value: &str) {
        if self.after_rules {
            (self.in_global, self.in_specific, self.after_rules) = (false, false, false);
        }
        let global =
            value.starts_with('*') && value[1..].chars().next().is_none_or(char::is_whitespace);
        if global {
            self.in_global = true;
        } else if agent_name(value).eq_ignore_ascii_case(&self.token) {
            self.in_specific = true;
            self.ever_specific = true;
        }
    }

    fn handle_allow(&mut self, _line: u32, value: &str) {
        self.rule(format!("allow: {value}"));
    }

    fn handle_disallow(&mut self, _line: u32, value: &str) {
        self.rule(format!("disallow: {value}"));
    }

    // Sitemaps and other lines belong to no group and do not close one (RFC 9309, 2.2.4).
    fn handle_sitemap(&mut self, _line: u32, value: &str) {
        if !value.is_empty() {
            self.sitemaps.push(value.to_string());
        }
    }

    fn handle_unknown_action(&mut self, _line: u32, action: &str, value: &str) {
        if !action.eq_ignore_ascii_case("crawl-delay") {
            return;
        }
        let Ok(delay) = value.parse::<f64>() else {
            return;
        };
        if !(delay.is_finite() && delay >= 0.0) {
            return;
        }
        if self.in_specific {
            self.specific_delay.get_or_insert(delay);
        } else if self.in_global {
            self.global_delay.get_or_insert(delay);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_and_the_delay_of_the_group_that_applies() {
        let body = b"Sitemap: https://a.example/s.xml\nuser-agent: *\ncrawl-delay: 9\n\
                     disallow: /private\n\nuser-agent: crosscheck\ncrawl-delay: 2.5\n\
                     disallow: /x\nsitemap: https://a.example/t.xml\n";
        let r = Robots::parse("crosscheck", body);
        assert_eq!(r.delay, Some(2.5));
        assert_eq!(
            r.sitemaps,
            ["https://a.example/s.xml", "https://a.example/t.xml"]
        );
        assert!(r.allowed("https://a.example/private"));
        assert!(!r.allowed("https://a.example/x/1"));
        let other = Robots::parse("otherbot", body);
        assert_eq!(other.delay, Some(9.0));
        assert!(!other.allowed("https://a.example/private"));
    }

    #[test]
    fn robots_txt_itself_and_an_empty_file_allow_everything() {
        let r = Robots::parse("crosscheck", b"user-agent: *\ndisallow: /\n");
        assert!(r.allowed("https://a.example/robots.txt"));
        assert!(!r.allowed("https://a.example/robots.txt.bak"));
        assert!(Robots::parse("crosscheck", b"").allowed("https://a.example/x"));
    }
}
