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
        let mut path = String::new();
        self.walk(doc, 0, &mut path, issues);
    }

    fn walk(&self, value: &Value, depth: usize, path: &mut String, issues: &mut Vec<Issue>) {
        match value {
            Value::Object(_) | Value::Array(_) if depth >= self.max_depth => {
                issues.push(Issue::new(
                    path.clone(),
                    "too_deep",
                    format!("nesting deeper than {} levels is not allowed", self.max_depth),
                ));
            }
            Value::Object(map) => {
                for (k, v) in map {
                    let len = path.len();
                    *path = super::pointer::join(path, k);
                    self.walk(v, depth + 1, path, issues);
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&i.to_string());
                    self.walk(v, depth + 1, path, issues);
                    path.truncate(len);
                }
            }
            Value::String(s)
                if s.len() > self.max_string_length && s.chars().count() > self.max_string_length =>
            {
                issues.push(Issue::new(
                    path.clone(),
                    "too_long",
                    format!("strings longer than {} characters are not allowed", self.max_string_length),
                ));
            }
            _ => {}
        }
    }

    /// The size issue of a stored document, if it is too large.
    pub(crate) fn check_size(&self, doc: &Value) -> Option<Issue> {
        let size = crate::canonical_json::to_string(doc).len();
        (size > self.max_bytes).then(|| {
            Issue::new(
                "",
                "too_large",
                format!("document is {size} bytes; at most {} bytes are allowed", self.max_bytes),
            )
        })
    }
}
