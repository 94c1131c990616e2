//! tenantry's own `format`s: `https-url` and `hex-color`.

/// `format: "https-url"`: an absolute `https://` URL with a host, no credentials, no whitespace or
/// control characters (so no `javascript:`, `data:` or `http:` URLs).
///
/// ```
/// use tenantry::settings::is_https_url;
/// assert!(is_https_url("https://hooks.slack.com/services/T0/B0/x"));
/// assert!(!is_https_url("javascript:alert(1)"));
/// assert!(!is_https_url("http://example.com"));
/// ```
pub fn is_https_url(text: &str) -> bool {
    let Some(scheme) = text.get(..8) else { return false };
    if !scheme.eq_ignore_ascii_case("https://") {
        return false;
    }
    let rest = text.get(8..).unwrap_or_default();
    if rest.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return false;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or_default();
    if authority.contains('@') {
        return false;
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((v6, after)) = inner.split_once(']') else { return false };
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        match after {
            "" => (v6, None),
            p => match p.strip_prefix(':') {
                Some(port) => (v6, Some(port)),
                None => return false,
            },
        }
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if !valid_hostname(host) {
            return false;
        }
        (host, port)
    };
    if host.is_empty() {
        return false;
    }
    match port {
        None => true,
        Some(p) => {
            !p.is_empty()
                && p.len() <= 5
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65535)
        }
    }
}

fn valid_hostname(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').enumerate().all(|(i, label)| {
            // A single trailing dot (fully qualified name) is allowed.
            (label.is_empty() && i > 0 && host.ends_with('.') && host.len() > 1)
                || (!label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        })
        && !host.starts_with('.')
        && !host.contains("..")
}

/// `format: "hex-color"`: `#` followed by 3 or 6 hexadecimal digits (`#fff`, `#1a2B3c`).
///
/// ```
/// use tenantry::settings::is_hex_color;
/// assert!(is_hex_color("#000000"));
/// assert!(is_hex_color("#FfF"));
/// assert!(!is_hex_color("000000"));
/// assert!(!is_hex_color("#12345"));
/// ```
pub fn is_hex_color(text: &str) -> bool {
    match text.strip_prefix('#') {
        Some(hex) => (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}
