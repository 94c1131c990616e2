//! Size, nesting and string-length bounds on stored documents: each a typed validation issue.

use serde_json::Value;

use crate::Issue;

/// Bounds on a tenant's stored document, configurable per schema.
///
/// ```
/// use tenantry::settings::Limits;
/// let limits = Limits { max_bytes: 4096, ..Limits::default() };
/// assert_eq!(limits.max_depth, 32);
/// assert_eq!(Limits::default().max_bytes, 10 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest serialized (canonical JSON) size of a stored document, in bytes (default 10 KB).
    pub max_bytes: usize,
    /// Deepest nesting of objects and arrays (default 32).
    pub max_depth: usize,
    /// Longest string, in characters (default 4096).
    pub max_string_length: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 10 * 1024, max_depth: 32, max_string_length: 4096 }
    }
}

impl Limits {
    /// Depth and string-length issues of `doc` (cheap, and safe before anything recursive runs).
    pub(crate) fn check_shape(&self, doc: &Value, issues: &mut Vec<Issue>) {
        self.walk(doc, None, 0, issues);
    }

    /// `path` is the chain of segments down to `value` (`depth` of them), kept on the call
    /// stack: only an issue builds its pointer.
    fn walk(&self, value: &Value, path: Option<&Path<'_>>, depth: usize, issues: &mut Vec<Issue>) {
        match value {
            Value::Object(_) | Value::Array(_) if depth >= self.max_depth => {
                issues.push(Issue::new(
                    pointer_of(path),
                    "too_deep",
                    format!("nesting deeper than {} levels is not allowed", self.max_depth),
                ));
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.walk(v, Some(&Path { segment: Segment::Key(k), parent: path }), depth + 1, issues);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.walk(v, Some(&Path { segment: Segment::Index(i), parent: path }), depth + 1, issues);
                }
            }
            Value::String(s)
                if s.len() > self.max_string_length && s.chars().count() > self.max_string_length =>
            {
                issues.push(Issue::new(
                    pointer_of(path),
                    "too_long",
                    format!("strings longer than {} characters are not allowed", self.max_string_length),
                ));
            }
            _ => {}
        }
    }

    /// The size issue of a stored document, if it is too large.
    pub(crate) fn check_size(&self, doc: &Value) -> Option<Issue> {
        if canonical_len_bound(doc) <= self.max_bytes {
            return None;
        }
        let size = canonical_len(doc);
        (size > self.max_bytes).then(|| {
            Issue::new(
                "",
                "too_large",
                format!("document is {size} bytes; at most {} bytes are allowed", self.max_bytes),
            )
        })
    }
}

enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

/// One segment of the path to a value, and the path to its parent.
struct Path<'p> {
    segment: Segment<'p>,
    parent: Option<&'p Path<'p>>,
}

fn pointer_of(path: Option<&Path<'_>>) -> String {
    let mut segments = Vec::new();
    let mut at = path;
    while let Some(p) = at {
        segments.push(&p.segment);
        at = p.parent;
    }
    segments.iter().rev().fold(String::new(), |acc, seg| match seg {
        Segment::Key(k) => super::pointer::join(&acc, k),
        Segment::Index(i) => format!("{acc}/{i}"),
    })
}

/// The longest a number is in canonical JSON (`-2.2250738585072014e-308`), with room to spare.
const MAX_NUMBER_LEN: usize = 26;

/// An upper bound of [`canonical_len`], without formatting numbers or reading characters: a
/// string byte is at most 6 bytes escaped (`\u001f`).
fn canonical_len_bound(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(_) => 5,
        Value::Number(_) => MAX_NUMBER_LEN,
        Value::String(s) => 2 + 6 * s.len(),
        Value::Array(items) => 2 + items.len() + items.iter().map(canonical_len_bound).sum::<usize>(),
        Value::Object(map) => {
            2 + map.len() + map.iter().map(|(k, v)| 3 + 6 * k.len() + canonical_len_bound(v)).sum::<usize>()
        }
    }
}

/// The length in bytes of `crate::canonical_json::to_string(value)`, computed without building it.
pub(crate) fn canonical_len(value: &Value) -> usize {
    match value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => match n.as_i64().filter(|i| i.unsigned_abs() <= (1u64 << 53)) {
            Some(i) => {
                let mut len = usize::from(i < 0) + 1;
                let mut rest = i.unsigned_abs() / 10;
                while rest > 0 {
                    len += 1;
                    rest /= 10;
                }
                len
            }
            None => ryu_js::Buffer::new().format(n.as_f64().unwrap_or(0.0)).len(),
        },
        Value::String(s) => string_len(s),
        Value::Array(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(canonical_len).sum::<usize>()
        }
        Value::Object(map) => {
            2 + map.len().saturating_sub(1)
                + map.iter().map(|(k, v)| string_len(k) + 1 + canonical_len(v)).sum::<usize>()
        }
    }
}

fn string_len(s: &str) -> usize {
    if s.bytes().all(|b| (0x20..0x80).contains(&b) && b != b'"' && b != b'\\') {
        return 2 + s.len();
    }
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{08}' | '\u{09}' | '\u{0a}' | '\u{0c}' | '\u{0d}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn canonical_len_is_the_canonical_length() {
        let values = [
            json!(null),
            json!({}),
            json!([]),
            json!({"b": [1.0, 2.5e-7, "\u{20ac}", -0.0, 1e21, 1e-7, 123456789012345678u64, -9007199254740993i64]}),
            json!({"a\"\\\n\u{01}\u{1f}": "tab\tand\r\u{0c}\u{08}", "z": [true, false, null, 0, -1, 10, 99, 100]}),
            json!({"nested": {"deep": [{"x": 1.5}, {"y": "\u{1F600}"}]}, "n": -12345}),
        ];
        for v in values {
            let len = crate::canonical_json::to_string(&v).len();
            assert_eq!(super::canonical_len(&v), len, "{v}");
            assert!(super::canonical_len_bound(&v) >= len, "{v}");
        }
    }
}
