//! Field checks shared by the record builder: lengths, control characters, IPs, actions.

use std::net::IpAddr;

use crate::{Error, ErrorCode, Issue, Result};

/// Longest id, type, role or name accepted (characters).
pub(crate) const MAX_NAME_CHARS: usize = 256;
/// Longest free text accepted (user agent, outcome reason).
pub(crate) const MAX_TEXT_CHARS: usize = 1024;
/// Longest action accepted.
pub(crate) const MAX_ACTION_CHARS: usize = 128;

/// A required or optional short text: non-empty, bounded, no control characters.
pub(crate) fn text(path: &str, value: &str, max_chars: usize) -> Result<()> {
    if value.is_empty() {
        return Err(issue(ErrorCode::AuditInvalidRecord, path, "empty", "must not be empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(issue(
            ErrorCode::AuditControlCharacters,
            path,
            "control_characters",
            "must not contain control characters",
        ));
    }
    let chars = value.chars().count();
    if chars > max_chars {
        return Err(issue(
            ErrorCode::AuditTooLarge,
            path,
            "too_long",
            &format!("must be at most {max_chars} characters, got {chars}"),
        ));
    }
    Ok(())
}

/// An IP address (v4 or v6), returned in its canonical text form.
pub(crate) fn ip(path: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    match trimmed.parse::<IpAddr>() {
        // IPv4 parses only from its one textual form (four decimal octets, no leading zeros), so
        // the text is already normalized; IPv6 has many forms and is written back in RFC 5952's.
        Ok(IpAddr::V4(_)) => Ok(trimmed.to_owned()),
        Ok(ip) => Ok(ip.to_string()),
        Err(_) => Err(issue(ErrorCode::AuditInvalidIp, path, "ip", "must be an IPv4 or IPv6 address")),
    }
}

/// A minimal e-mail shape check: text rules plus one `@` with something on both sides.
pub(crate) fn email(path: &str, value: &str) -> Result<()> {
    text(path, value, 320)?;
    match value.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => Ok(()),
        _ => Err(issue(ErrorCode::AuditInvalidRecord, path, "email", "must be an e-mail address")),
    }
}

/// A dotted lowercase action: `resource.verb`, segments `[a-z][a-z0-9_]*`, at least two.
pub(crate) fn action(value: &str) -> Result<()> {
    let bytes = value.as_bytes();
    let well_formed = bytes.len() <= MAX_ACTION_CHARS
        && bytes.contains(&b'.')
        && bytes.split(|b| *b == b'.').all(|seg| {
            matches!(seg.first(), Some(b'a'..=b'z'))
                && seg.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        });
    if well_formed {
        Ok(())
    } else {
        Err(issue(
            ErrorCode::AuditInvalidAction,
            "/action",
            "action",
            "must be dotted lowercase such as settings.updated (segments [a-z][a-z0-9_]*, at most 128 characters)",
        ))
    }
}

pub(crate) fn issue(code: ErrorCode, path: &str, rule: &str, message: &str) -> Error {
    let shown = if path.is_empty() { "record" } else { path };
    Error::with_issues(code, format!("{shown}: {message}"), vec![Issue::new(path, rule, message)])
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    #[test]
    fn an_accepted_ipv4_text_is_its_normal_form() {
        let mut accepted = 0;
        for a in ["0", "1", "01", "9", "10", "099", "255", "256", "00"] {
            for b in ["0", "7", "007", "127", "200"] {
                let text = format!("{a}.{b}.{b}.{a}");
                match super::ip("/ip", &format!("  {text} ")) {
                    Ok(normal) => {
                        accepted += 1;
                        assert_eq!(normal, text.parse::<Ipv4Addr>().unwrap().to_string(), "{text}");
                    }
                    Err(e) => assert_eq!(e.code(), "audit.invalid_ip", "{text}"),
                }
            }
        }
        assert!(accepted > 10);
        assert_eq!(super::ip("/ip", "2001:DB8:0:0::1").unwrap(), "2001:db8::1");
    }
}
