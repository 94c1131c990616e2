//! Errors for JSON text that does not parse: the one wording of `input.invalid_json` every
//! surface gives.
//!
//! A lone surrogate is named as such. JSON text may escape one (`"\ud800"`: `JSON.stringify`
//! writes a JS string holding one that way, and so does Python's `json.dumps`), but no UTF-8 text,
//! and so no Rust string, can hold it; serde_json's own words for it ("unexpected end of hex
//! escape", "lone leading surrogate in hex escape") do not say what the caller must fix.

use crate::{Error, ErrorCode};

/// JSON text as a JSON value, held to what JSON data may hold: `input.invalid_json` when it does
/// not parse, or writes an integer no double holds exactly (see
/// [`exact_integer`](crate::json_tree::exact_integer): read, it would round unseen).
///
/// ```
/// let value = tenantry::json_text::parse(br#"{"id": 9007199254740992}"#)?;
/// assert_eq!(value["id"], 9_007_199_254_740_992u64);
/// let err = tenantry::json_text::parse(br#"{"id": 9007199254740993}"#).err();
/// assert_eq!(err.as_ref().map(|e| e.code()), Some("input.invalid_json"));
/// assert!(err.is_some_and(|e| e.message().starts_with("invalid JSON text: integer 9007199254740993 is not exact")));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn parse(text: &[u8]) -> Result<serde_json::Value, Error> {
    // Through the token reader every binding also reads JSON text with, so every call accepts and
    // words the same texts: an inexact integer is refused with its place in the text, even in a
    // value that a repeated name then overwrites.
    crate::json_tree::parse_text(text).map(|tree| tree.to_value()).map_err(|e| invalid(text, &e))
}

/// JSON text given as bytes, as a string: `input.invalid_json` when they are not UTF-8, in the
/// words [`parse`] gives for them (the first error in the text, as serde_json reads it). For a
/// binding that decodes bytes itself before it parses them (JavaScript's `JSON.parse` takes a
/// string), so that bytes which are not UTF-8 fail as they do where the core reads bytes.
///
/// ```
/// assert_eq!(tenantry::json_text::utf8(br#"{"a": 1}"#)?, r#"{"a": 1}"#);
/// let err = tenantry::json_text::utf8(b"{\"a\": \"\xff\"}").err();
/// assert_eq!(err.as_ref().map(|e| e.code()), Some("input.invalid_json"));
/// assert_eq!(err.map(|e| e.message().to_owned()), tenantry::json_text::parse(b"{\"a\": \"\xff\"}").err().map(|e| e.message().to_owned()));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn utf8(text: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(text).map_err(|utf8| match parse(text) {
        Err(e) => e,
        // (Unreached: serde_json checks the UTF-8 of strings, and no byte past ASCII may stand
        // outside one.)
        Ok(_) => Error::new(ErrorCode::InvalidJson, format!("invalid JSON text: {utf8}")),
    })
}

/// The first integer token of JSON `text` (outside strings; no fraction, no exponent) that no
/// double holds exactly (see [`exact_integer_text`](crate::json_tree::exact_integer_text)),
/// looked for past 64 bits only, where serde_json reads integers as doubles without a word.
/// Called only once such a double was read: it scans the whole text.
///
/// ```
/// use tenantry::json_text::first_inexact_integer;
/// let text = br#"{"a": "18446744073709551617", "b": 18446744073709551617}"#;
/// assert_eq!(first_inexact_integer(text), Some("18446744073709551617"));
/// assert_eq!(first_inexact_integer(br#"[100000000000000000000, 1.8446744073709551617e19]"#), None);
/// ```
pub fn first_inexact_integer(text: &[u8]) -> Option<&str> {
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'"' => {
                // Past the string: its closing quote is the first one not escaped.
                i += 1;
                while let Some(&c) = text.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while text.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let whole = !text.get(i).is_some_and(|c| matches!(c, b'.' | b'e' | b'E'));
                let token = text.get(start..i).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or_default();
                // (Up to 18 digits an integer is within i64, which serde_json reads exactly.)
                if whole
                    && token.trim_start_matches('-').len() > 18
                    && !crate::json_tree::exact_integer_text(token)
                {
                    return Some(token);
                }
                while text
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The `input.invalid_json` error for `text`, which serde_json refused with `err`.
///
/// ```
/// let text = r#"{"name": "\udc80"}"#;
/// let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
/// let err = tenantry::json_text::invalid(text.as_bytes(), &err);
/// assert_eq!(err.code(), "input.invalid_json");
/// assert!(err.message().starts_with(r"invalid JSON text: a string holds a lone surrogate (\udc80)"));
/// ```
pub fn invalid(text: &[u8], err: &serde_json::Error) -> Error {
    Error::new(ErrorCode::InvalidJson, format!("invalid JSON text: {}", describe(text, err)))
}

/// The `input.invalid` error for a text argument (not JSON text) that holds a lone surrogate, the
/// UTF-16 code unit `unit`, as its `index`th character (counted in code points, as Python counts):
/// the one wording Python (a `str`) and Node (a string) give.
///
/// ```
/// let err = tenantry::json_text::lone_surrogate(0xd800, 4);
/// assert_eq!(err.code(), "input.invalid");
/// assert_eq!(
///     err.message(),
///     r"str holds a lone surrogate ('\ud800') at index 4: it is not valid Unicode, so it has no UTF-8 form"
/// );
/// ```
pub fn lone_surrogate(unit: u16, index: usize) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!(
            "str holds a lone surrogate ('\\u{unit:04x}') at index {index}: it is not valid Unicode, so it has no UTF-8 form"
        ),
    )
}

/// The first lone surrogate of UTF-16 text: its code unit and its index in code points, as
/// [`lone_surrogate`] names it; `None` for well-formed text.
///
/// ```
/// let units: Vec<u16> = "a😀b".encode_utf16().chain([0xdc80]).collect();
/// assert_eq!(tenantry::json_text::first_lone_surrogate(&units), Some((0xdc80, 3)));
/// assert_eq!(tenantry::json_text::first_lone_surrogate(&units[..4]), None);
/// ```
pub fn first_lone_surrogate(units: &[u16]) -> Option<(u16, usize)> {
    char::decode_utf16(units.iter().copied())
        .enumerate()
        .find_map(|(index, c)| c.err().map(|e| (e.unpaired_surrogate(), index)))
}

/// What is wrong with `text`, which serde_json refused with `err`: serde_json's message, or for a
/// lone surrogate, one that names it (both end with the line and column).
///
/// ```
/// let describe = |text: &str| {
///     let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
///     tenantry::json_text::describe(text.as_bytes(), &err)
/// };
/// assert_eq!(
///     describe(r#"["\ud83d\u0041"]"#),
///     r"a string holds a lone surrogate (\ud83d), which no UTF-8 text can hold (text must be valid Unicode) at line 1 column 14"
/// );
/// // An escaped pair is one character; an escaped backslash is not an escape of a surrogate.
/// assert_eq!(describe(r#"["\ud83d\ude00" x]"#), "expected `,` or `]` at line 1 column 17");
/// assert_eq!(describe(r#"["\\ud800" x]"#), "expected `,` or `]` at line 1 column 12");
/// ```
pub fn describe(text: &[u8], err: &serde_json::Error) -> String {
    match lone_surrogate_before(text, err.line(), err.column()) {
        Some(unit) => format!(
            "a string holds a lone surrogate (\\u{unit:04x}), which no UTF-8 text can hold (text must be \
             valid Unicode) at line {} column {}",
            err.line(),
            err.column()
        ),
        None => err.to_string(),
    }
}

/// The lone surrogate escaped within the 12 bytes before `line`:`column` (one-based, in bytes, as
/// serde_json counts), where serde_json stops on one (after its escape, or after the escape that
/// should have completed its pair). An escaped pair is not one: the error is then something else.
fn lone_surrogate_before(text: &[u8], line: usize, column: usize) -> Option<u16> {
    let line_start = if line <= 1 {
        0
    } else {
        text.iter().enumerate().filter(|&(_, &b)| b == b'\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let end = (line_start + column).min(text.len());
    (end.saturating_sub(12)..end).find_map(|i| {
        let unit = surrogate_escape_at(text, i)?;
        let paired = if unit < 0xDC00 {
            surrogate_escape_at(text, i + 6).is_some_and(|next| next >= 0xDC00)
        } else {
            i.checked_sub(6).and_then(|j| surrogate_escape_at(text, j)).is_some_and(|prev| prev < 0xDC00)
        };
        (!paired).then_some(unit)
    })
}

/// The surrogate (U+D800..U+DFFF) of the `\uXXXX` escape at `text[i]`, if one starts there: a
/// backslash starts an escape only after an even run of backslashes.
fn surrogate_escape_at(text: &[u8], i: usize) -> Option<u16> {
    let escape = text.get(i..i + 6)?;
    let (b'\\', b'u') = (*escape.first()?, *escape.get(1)?) else { return None };
    let run = text.get(..i)?.iter().rev().take_while(|&&b| b == b'\\').count();
    let unit = u16::from_str_radix(std::str::from_utf8(escape.get(2..)?).ok()?, 16).ok()?;
    (run % 2 == 0 && (0xD800..=0xDFFF).contains(&unit)).then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_text(text: &str) -> String {
        let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        describe(text.as_bytes(), &err)
    }

    #[test]
    fn every_lone_surrogate_is_named_wherever_it_stands() {
        for (text, unit) in [
            (r#""\ud800""#, "d800"),
            (r#""\udbff""#, "dbff"),
            (r#""\udc00""#, "dc00"),
            (r#""\udfff x""#, "dfff"),
            (r#"{"\ud800": 1}"#, "d800"),
            (r#"["ok", "a\ud800b"]"#, "d800"),
            (r#"["\ude00\ud83d"]"#, "de00"),
            (r#"["\ud83d\ud83d"]"#, "d83d"),
            (r#"["\ud83d\u0041"]"#, "d83d"),
            ("[\n  1,\n  \"\\udc80\"\n]", "dc80"),
            (r#"["\\\ud800"]"#, "d800"),
        ] {
            let message = describe_text(text);
            assert!(
                message.starts_with(&format!("a string holds a lone surrogate (\\u{unit})")),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn other_errors_keep_serde_json_words() {
        for text in [
            r#"["\ud83d\ude00" x]"#,
            r#"["\\ud800" x]"#,
            r#"["\\\\ud800" x]"#,
            "[1,",
            "{\"a\" 1}",
            r#""\u12""#,
        ] {
            let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            assert_eq!(describe(text.as_bytes(), &err), err.to_string(), "{text}");
        }
    }

    #[test]
    fn the_position_is_the_one_serde_json_gives() {
        let message = describe_text("[\n  1,\n  \"\\udc80\"\n]");
        assert!(message.ends_with("at line 3 column 9"), "{message}");
    }
}
