//! RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value.
//!
//! Used for settings etags and audit hashes, so the same document hashes the same in every
//! language whatever its key order or number spelling.

use serde_json::Value;

use crate::json_tree::Tree;

/// Serializes `value` as RFC 8785 canonical JSON.
///
/// Object members are sorted by their UTF-16 code units, numbers use ECMAScript formatting
/// (integers beyond 2^53 lose precision exactly as they would in JavaScript), and strings use the
/// minimal JSON escaping.
///
/// ```
/// let v = serde_json::json!({"b": [1.0, 2.5e-7, "\u{20ac}"], "a": true});
/// assert_eq!(tenantry::canonical_json::to_string(&v), r#"{"a":true,"b":[1,2.5e-7,"€"]}"#);
/// ```
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// Serializes a JSON object as RFC 8785 canonical JSON, leaving out the members named in `skip`.
///
/// This is what a hash over "the record without its own hash" needs, without cloning the record.
///
/// ```
/// let v = serde_json::json!({"b": 1, "hash": "x", "a": [true]});
/// let map = v.as_object().unwrap();
/// assert_eq!(tenantry::canonical_json::object_without(map, &["hash"]), r#"{"a":[true],"b":1}"#);
/// ```
pub fn object_without(map: &serde_json::Map<String, Value>, skip: &[&str]) -> String {
    let mut out = String::with_capacity(256);
    write_object(&mut out, map, skip);
    out
}

/// Serializes a [`Tree`] as RFC 8785 canonical JSON (the same text as [`to_string`] of the
/// equivalent `Value`).
///
/// ```
/// use std::borrow::Cow;
/// use tenantry::canonical_json::tree_to_string;
/// use tenantry::json_tree::Tree;
/// let tree = Tree::Object(vec![(Cow::Borrowed("b"), Tree::Bool(true)), (Cow::Borrowed("a"), Tree::Null)]);
/// assert_eq!(tree_to_string(&tree), r#"{"a":null,"b":true}"#);
/// ```
pub fn tree_to_string(tree: &Tree<'_>) -> String {
    let mut out = String::with_capacity(1024);
    write_tree(&mut out, tree);
    out
}

/// Where canonical JSON is written: a `String`, or straight into a hash without keeping the text
/// (the audit chain's hasher).
pub(crate) trait Sink {
    /// Appends text.
    fn push_str(&mut self, s: &str);

    /// Appends one character.
    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Appends `s` between double quotes (a string that needs no escaping: most of them).
    fn push_quoted(&mut self, s: &str) {
        self.push('"');
        self.push_str(s);
        self.push('"');
    }
}

impl Sink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }

    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

pub(crate) fn write_tree(out: &mut impl Sink, tree: &Tree<'_>) {
    match tree {
        Tree::Null => out.push_str("null"),
        Tree::Bool(true) => out.push_str("true"),
        Tree::Bool(false) => out.push_str("false"),
        Tree::Number(n) => write_number(out, n),
        Tree::String(s) => write_string(out, s),
        Tree::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_tree(out, item);
            }
            out.push(']');
        }
        Tree::Object(members) => write_object_of(out, members.iter().map(|(k, v)| (k.as_ref(), v))),
    }
}

pub(crate) fn write_value(out: &mut impl Sink, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map, &[]),
    }
}

/// Serializes an object given as its members (in any order) as RFC 8785 canonical JSON.
///
/// Lets a caller hash "this object plus these members" without building the object first.
///
/// ```
/// let (one, t) = (serde_json::json!(1), serde_json::json!(true));
/// let text = tenantry::canonical_json::members_to_string(vec![("b", &one), ("a", &t)]);
/// assert_eq!(text, r#"{"a":true,"b":1}"#);
/// ```
pub fn members_to_string(mut members: Vec<(&str, &Value)>) -> String {
    let mut out = String::with_capacity(1024);
    write_members(&mut out, &mut members);
    out
}

/// Appends the canonical JSON of an object given as its members (in any order) to `out`: the
/// allocation-free form of [`members_to_string`] for callers that reuse one buffer.
pub(crate) fn write_members_into<N: Node>(out: &mut impl Sink, members: &mut [(&str, &N)]) {
    write_members(out, members);
}

/// A JSON value the canonical writer can print: a `serde_json::Value` or a [`Tree`].
pub(crate) trait Node {
    /// Appends this value's canonical JSON.
    fn write_to(&self, out: &mut impl Sink);
    /// The text of a string value.
    fn as_text(&self) -> Option<&str>;
}

impl Node for Value {
    fn write_to(&self, out: &mut impl Sink) {
        write_value(out, self);
    }

    fn as_text(&self) -> Option<&str> {
        self.as_str()
    }
}

impl Node for Tree<'_> {
    fn write_to(&self, out: &mut impl Sink) {
        write_tree(out, self);
    }

    fn as_text(&self) -> Option<&str> {
        match self {
            Tree::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Objects up to this many members are sorted in a stack array, larger ones in a `Vec`.
const STACK_MEMBERS: usize = 16;

fn write_object(out: &mut impl Sink, map: &serde_json::Map<String, Value>, skip: &[&str]) {
    write_object_of(out, map.iter().map(|(k, v)| (k.as_str(), v)).filter(|(k, _)| !skip.contains(k)));
}

/// Writes an object given as a member iterator, sorting the members without allocating for the
/// usual small objects.
fn write_object_of<'a, N: Node + 'a>(
    out: &mut impl Sink,
    mut members: impl Iterator<Item = (&'a str, &'a N)>,
) {
    let Some(first) = members.next() else {
        out.push_str("{}");
        return;
    };
    let mut entries: [(&str, &N); STACK_MEMBERS] = [first; STACK_MEMBERS];
    let mut len = 1;
    for member in members.by_ref() {
        match entries.get_mut(len) {
            Some(slot) => *slot = member,
            None => {
                let mut all: Vec<(&str, &N)> = entries.to_vec();
                all.push(member);
                all.extend(members);
                write_members(out, &mut all);
                return;
            }
        }
        len += 1;
    }
    if let Some(entries) = entries.get_mut(..len) {
        write_members(out, entries);
    }
}

fn write_members<N: Node>(out: &mut impl Sink, entries: &mut [(&str, &N)]) {
    sort_by_name(entries, |(name, _)| name);
    out.push('{');
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        item.write_to(out);
    }
    out.push('}');
}

/// Sorts the members of an object (whatever `name` reads each one's name from) into RFC 8785
/// order: by the UTF-16 code units of their names.
pub(crate) fn sort_by_name<T>(members: &mut [T], name: impl Fn(&T) -> &str) {
    // Byte order is UTF-16 order for ASCII keys (nearly all keys): check once, not per comparison.
    if members.iter().all(|m| name(m).is_ascii()) {
        members.sort_by(|a, b| ascii_cmp(name(a), name(b)));
    } else {
        members.sort_by(|a, b| utf16_cmp(name(a), name(b)));
    }
}

/// Byte order of two keys, decided by their first bytes where they differ (most sibling keys do):
/// a `memcmp` call for every comparison of the sort cost more than the rest of the sort.
#[inline]
fn ascii_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.as_bytes().cmp(b.as_bytes()),
    }
}

/// Orders two keys by their UTF-16 code units, as RFC 8785 section 3.2.3 requires.
///
/// UTF-8 byte order equals code point order, which differs from UTF-16 order only between
/// supplementary characters (surrogate pairs) and U+E000..U+FFFF; ASCII keys take the byte path.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.as_bytes().cmp(b.as_bytes());
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

fn write_number(out: &mut impl Sink, n: &serde_json::Number) {
    if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= (1u64 << 53)) {
        write_integer(out, i);
        return;
    }
    let f = n.as_f64().unwrap_or(0.0);
    let mut buf = ryu_js::Buffer::new();
    out.push_str(buf.format(f));
}

fn write_integer(out: &mut impl Sink, i: i64) {
    if i < 0 {
        out.push('-');
    }
    let mut n = i.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    if let Some(text) = digits.get(start..).and_then(|d| std::str::from_utf8(d).ok()) {
        out.push_str(text);
    }
}

pub(crate) fn write_string(out: &mut impl Sink, s: &str) {
    // Copy runs of characters that need no escaping in one go; only `"`, `\` and C0 controls escape.
    if !needs_escape(s.as_bytes()) {
        out.push_quoted(s);
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0a => "\\n",
            0x0c => "\\f",
            0x0d => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// True when `bytes` hold a `"`, a `\\` or a C0 control (what JSON strings escape), checked eight
/// bytes at a time: most strings have none, and this runs for every string written.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The classic SWAR tests: `(x - n·ONES) & !x & HIGH` is nonzero exactly when some byte of
    // `x` is below `n` (for n <= 0x80); n = 1 finds a zero byte, so `x ^ c·ONES` finds `c`.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let escapes = |chunk: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        control | has_zero(x ^ (ONES * u64::from(b'"'))) | has_zero(x ^ (ONES * u64::from(b'\\'))) != 0
    };
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let mut chunks = bytes.chunks_exact(8);
    if chunks.by_ref().any(escapes) {
        return true;
    }
    // The last eight bytes (overlapping what was read): the remainder in one test.
    !chunks.remainder().is_empty() && bytes.get(bytes.len() - 8..).is_some_and(escapes)
}

fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 })
}

#[cfg(test)]
mod tests {
    use super::to_string;
    use serde_json::json;

    #[test]
    fn needs_escape_finds_every_escaped_byte_at_every_position() {
        for len in 0..20 {
            for at in 0..len {
                for b in (0u8..=0x7f).chain([0x80, 0xa0, 0xff]) {
                    let mut bytes = vec![b'a'; len];
                    if let Some(slot) = bytes.get_mut(at) {
                        *slot = b;
                    }
                    let want = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(super::needs_escape(&bytes), want, "byte {b:#x} at {at} of {len}");
                }
            }
            assert!(!super::needs_escape(&vec![b'z'; len]));
        }
    }

    #[test]
    fn rfc8785_number_examples() {
        let cases = [
            (json!(0.0), "0"),
            (json!(-0.0), "0"),
            (json!(1e21), "1e+21"),
            (json!(1e-7), "1e-7"),
            (json!(333_333_333.333_333_3), "333333333.3333333"),
            (json!(9007199254740993u64), "9007199254740992"),
            (json!(-5e-324), "-5e-324"),
        ];
        for (v, want) in cases {
            assert_eq!(to_string(&v), want, "{v}");
        }
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        let v =
            json!({"\u{20ac}": 1, "\r": 2, "\u{1f600}": 3, "\u{fb33}": 4, "1": 5, "\u{80}": 6, "\u{f6}": 7});
        assert_eq!(
            to_string(&v),
            "{\"\\r\":2,\"1\":5,\"\u{80}\":6,\"\u{f6}\":7,\"\u{20ac}\":1,\"\u{1f600}\":3,\"\u{fb33}\":4}"
        );
    }
}
