//! URL rules: the form a link is requested in (as linked, RFC 3986 normalisation only), its
//! identity (tracking parameters removed), the host key politeness is counted by, and which
//! addresses are public.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::Url;

/// Query parameters that only track the reader; removed so that one article reached from a
/// feed, a newsletter and a share button has one URL.
pub const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "smid",
    "smtyp",
    "ito",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "wt_mc",
    "ref_src",
    "__twitter_impression",
];

/// Prefixes of tracking parameter names (`utm_source`, `utm_medium`, ...).
pub const TRACKING_PREFIXES: &[&str] = &["utm_", "pk_", "mtm_", "hsa_"];

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&lower.as_str())
        || TRACKING_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Why a string is not a URL the fetcher will request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("{url}: not a valid URL: {reason}")]
    Invalid { url: String, reason: String },
    #[error("{url}: only http and https URLs are fetched")]
    Scheme { url: String },
}

/// Parses an absolute http(s) URL into the form it is requested in (see [`request_form`]).
pub fn parse_http(text: &str) -> Result<Url, UrlError> {
    let url = Url::parse(text.trim()).map_err(|e| UrlError::Invalid {
        url: text.to_string(),
        reason: e.to_string(),
    })?;
    check_http(url).map(request_form)
}

/// Resolves `href` against `base` (for links found in pages and feeds) into the form it is
/// requested in (see [`request_form`]).
pub fn join_http(base: &Url, href: &str) -> Result<Url, UrlError> {
    let url = base.join(href.trim()).map_err(|e| UrlError::Invalid {
        url: href.to_string(),
        reason: e.to_string(),
    })?;
    check_http(url).map(request_form)
}

fn check_http(url: Url) -> Result<Url, UrlError> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        "http" | "https" => Err(UrlError::Invalid {
            url: url.to_string(),
            reason: "no host".into(),
        }),
        _ => Err(UrlError::Scheme {
            url: url.to_string(),
        }),
    }
}

/// The URL as linked, normalised only as RFC 3986 (section 6) and the URL standard allow:
/// scheme and host lower case, default port and dot segments removed, characters that must
/// be escaped percent-encoded. The query is kept byte for byte (`?q=a%20b` is not made
/// `?q=a+b`, `?item` not `?item=`). The fragment (never sent) and any user info (no
/// credentials from a scraped link) are dropped.
pub fn request_form(mut url: Url) -> Url {
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}

/// The identity of a URL, the key articles and the fetcher's state are known by: the request
/// form less its tracking parameters (the other parameters keep their order and their bytes)
/// and less an empty query.
pub fn identity(url: &Url) -> Url {
    let mut key = request_form(url.clone());
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking(&param_name(pair)))
            .collect();
        key.set_query((!kept.is_empty()).then(|| kept.join("&")).as_deref());
    }
    key
}

/// The decoded name of one `name=value` pair of a query.
fn param_name(pair: &str) -> String {
    url::form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

/// The key politeness is counted by: scheme, host and port (`https://example.com:443`).
pub fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// The host name as people write it, for summaries.
pub fn host_label(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local,
/// shared (CGNAT), unique-local, unspecified, multicast, broadcast or documentation.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => is_public_v4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(a),
        },
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [first, second, ..] = a.octets();
    let shared = first == 100 && (64..128).contains(&second);
    !(a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_multicast()
        || shared
        || first == 0
        || first >= 240)
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    let first = a.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let documentation = first == 0x2001 && a.segments()[1] == 0x0db8;
    !(a.is_loopback()
        || a.is_unspecified()
        || a.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

/// The IP address in a URL's host, when the host is an address rather than a name.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(a) => Some(IpAddr::V4(a)),
        url::Host::Ipv6(a) => Some(IpAddr::V6(a)),
        url::Host::Domain(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        identity(&parse_http(s).unwrap()).to_string()
    }

    fn requested(s: &str) -> String {
        parse_http(s).unwrap().to_string()
    }

    #[test]
    fn tracking_parameters_and_fragments_are_removed() {
        assert_eq!(
            canon("https://Example.com:443/a/b?utm_source=rss&id=7&fbclid=x&UTM_Medium=y#top"),
            "https://example.com/a/b?id=7"
        );
        assert_eq!(
            canon("http://example.com/a?gclid=1&utm_campaign=z"),
            "http://example.com/a"
        );
        assert_eq!(
            canon("https://example.com/a?b=2&a=1"),
            "https://example.com/a?b=2&a=1"
        );
        assert_eq!(
            canon("https://user:pw@example.com/a"),
            "https://example.com/a"
        );
        assert_eq!(
            canon("https://example.com/s?q=a%20b&utm%5Fsource=x&&ocid=1&p=1+2"),
            "https://example.com/s?q=a%20b&p=1+2"
        );
    }

    /// Issue 17: the query was rebuilt, so the fetcher asked for another URL than the link.
    #[test]
    fn links_are_requested_as_given() {
        for (link, sent) in [
            (
                "https://example.com/s?q=a%20b",
                "https://example.com/s?q=a%20b",
            ),
            ("https://example.com/s?item", "https://example.com/s?item"),
            (
                "https://example.com/s?a=1&&b",
                "https://example.com/s?a=1&&b",
            ),
            (
                "https://example.com/s?q=a+b&utm_source=x",
                "https://example.com/s?q=a+b&utm_source=x",
            ),
            (
                "HTTPS://Example.COM:443/a/./b/../c?x=%7e#frag",
                "https://example.com/a/c?x=%7e",
            ),
            (
                "https://example.com/caf\u{e9} d",
                "https://example.com/caf%C3%A9%20d",
            ),
            ("https://user:pw@example.com/a", "https://example.com/a"),
        ] {
            assert_eq!(requested(link), sent, "{link}");
        }
        assert_eq!(
            canon("https://example.com/s?item"),
            "https://example.com/s?item"
        );
        assert_eq!(
            canon("https://example.com/s?q=a%20b"),
            "https://example.com/s?q=a%20b"
        );
    }

    #[test]
    fn only_http_urls_with_hosts() {
        assert!(matches!(
            parse_http("ftp://example.com/x"),
            Err(UrlError::Scheme { .. })
        ));
        assert!(matches!(
            parse_http("file:///etc/passwd"),
            Err(UrlError::Scheme { .. })
        ));
        assert!(parse_http("not a url").is_err());
        let base = parse_http("https://example.com/news/").unwrap();
        assert_eq!(
            join_http(&base, "../a?utm_source=x#f").unwrap().as_str(),
            "https://example.com/a?utm_source=x"
        );
        assert!(join_http(&base, "javascript:alert(1)").is_err());
    }

    #[test]
    fn address_classes() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public_ip(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public_ip(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn host_keys_include_scheme_and_port() {
        let a = parse_http("https://example.com/x").unwrap();
        let b = parse_http("https://example.com:443/y").unwrap();
        let c = parse_http("http://example.com/y").unwrap();
        assert_eq!(host_key(&a), host_key(&b));
        assert_ne!(host_key(&a), host_key(&c));
        assert_eq!(
            host_label(&parse_http("http://127.0.0.1:8080/").unwrap()),
            "127.0.0.1:8080"
        );
    }
}
