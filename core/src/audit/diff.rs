//! What changed between two documents, as JSON Pointer paths, with sensitive values masked.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::record::Change;
use super::validate::issue;
use crate::json_tree::{Tree, same_number};
use crate::{ErrorCode, Result};

/// What a masked value is replaced with.
///
/// ```
/// assert_eq!(tenantry::audit::MASK, "***");
/// ```
pub const MASK: &str = "***";

/// [`MASK`] as a value.
const MASKED: Tree<'static> = Tree::String(Cow::Borrowed(MASK));

/// Member names whose values are always masked: a name matches when, lowercased and with `_` and
/// `-` removed, it contains one of these (`smtp_password`, `apiKey`, `X-Auth-Token`, ...).
const SENSITIVE_NAMES: &[&str] = &["password", "passwd", "secret", "token", "apikey", "authorization"];

/// Bytes of which every [`SENSITIVE_NAMES`] entry holds at least one (`w`: password, passwd;
/// `c`: secret; `k`: token, apikey; `z`: authorization), in either case: a name with none of
/// them is not sensitive, which most names show in one cheap pass.
const HAS_KEY_LETTER: [bool; 256] = {
    let mut table = [false; 256];
    let letters = b"wckzWCKZ";
    let mut i = 0;
    while i < letters.len() {
        // Evaluated at compile time: an index out of bounds is a build error, not a panic.
        #[allow(clippy::indexing_slicing)]
        {
            table[letters[i] as usize] = true;
        }
        i += 1;
    }
    table
};

/// Which values to mask: the sensitive names (always), paths listed by the caller, and the
/// `x-sensitive` paths of a settings schema. Built once, reused for every record.
///
/// ```
/// use tenantry::audit::Masking;
/// let schema = serde_json::json!({"properties": {"smtp": {"properties": {"host": {"x-sensitive": true}}}}});
/// let m = Masking::new().with_paths(["/billing/iban"])?.with_schema(&schema)?;
/// assert!(m.is_sensitive("/billing/iban"));
/// assert!(m.is_sensitive("/smtp/host"));
/// assert!(m.is_sensitive("/oauth/client_secret"));
/// assert!(!m.is_sensitive("/smtp/port"));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masking {
    /// The masked paths, as unescaped segments.
    paths: Vec<Vec<String>>,
}

impl Masking {
    /// Masks the sensitive names only.
    ///
    /// ```
    /// assert!(tenantry::audit::Masking::new().is_sensitive("/Authorization"));
    /// ```
    pub fn new() -> Self {
        Masking::default()
    }

    /// Also masks these JSON Pointer paths and everything below them.
    ///
    /// ```
    /// let err = tenantry::audit::Masking::new().with_paths(["no-slash"]).unwrap_err();
    /// assert_eq!(err.code(), "audit.invalid_record");
    /// ```
    pub fn with_paths<I, S>(mut self, paths: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for path in paths {
            let segments = parse_pointer(path.as_ref())?;
            self.paths.push(segments);
        }
        Ok(self)
    }

    /// Also masks every property marked `"x-sensitive": true` in a settings JSON Schema, and
    /// everything inside it, read exactly as [`SettingsSchema`](crate::settings::SettingsSchema)
    /// reads it: on `properties`, directly or through local `$ref`s. A schema that settings
    /// refuses is refused here with the same error, `settings.invalid_schema`: a misspelt
    /// annotation (`x-sensitve`, `X-Sensitive`), a wrong value (`"x-sensitive": "yes"`), or one
    /// where it would be ignored (under `items`, `allOf`, ...), any of which would leave a secret
    /// unmasked.
    ///
    /// ```
    /// let schema = serde_json::json!({
    ///     "properties": {"keys": {"type": "array", "x-sensitive": true}, "smtp": {"$ref": "#/$defs/smtp"}},
    ///     "$defs": {"smtp": {"properties": {"password": {"x-sensitive": true}}}}
    /// });
    /// let m = tenantry::audit::Masking::new().with_schema(&schema)?;
    /// assert!(m.is_sensitive("/keys/3"));
    /// assert!(m.is_sensitive("/smtp/password"));
    /// let misspelt = serde_json::json!({"properties": {"token": {"x-sensitve": true}}});
    /// let err = tenantry::audit::Masking::new().with_schema(&misspelt).err();
    /// assert_eq!(err.map(|e| e.code()), Some("settings.invalid_schema"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn with_schema(self, schema: &Value) -> Result<Self> {
        if !(schema.is_object() || schema.is_boolean()) {
            return Err(issue(
                ErrorCode::AuditInvalidRecord,
                "/schema",
                "type",
                "a JSON Schema must be an object",
            ));
        }
        self.with_fields(&crate::settings::fields(schema)?)
    }

    /// Adds the `x-sensitive` paths of a compiled settings schema: what
    /// [`with_schema`](Self::with_schema) of its document adds, without reading the document
    /// again (an audit record of every settings change masks by the one compiled schema).
    ///
    /// ```
    /// let schema = tenantry::settings::SettingsSchema::new(&serde_json::json!({
    ///     "type": "object", "properties": {"smtp": {"properties": {"password": {"x-sensitive": true}}}}
    /// }))?;
    /// let m = tenantry::audit::Masking::new().with_settings(&schema)?;
    /// assert!(m.is_sensitive("/smtp/password") && !m.is_sensitive("/smtp/host"));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn with_settings(self, schema: &crate::settings::SettingsSchema) -> Result<Self> {
        self.with_fields(schema.fields())
    }

    fn with_fields(mut self, fields: &[crate::settings::FieldInfo]) -> Result<Self> {
        // Fields come parents first, and a sensitive parent's fields are sensitive too: the
        // parent's path masks them already.
        let mut masked: Vec<&str> = Vec::new();
        for field in fields {
            let under_masked =
                masked.iter().any(|p| field.pointer.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
            if field.sensitive && !under_masked {
                self.paths.push(parse_pointer(&field.pointer)?);
                masked.push(&field.pointer);
            }
        }
        Ok(self)
    }

    /// True when a member of this name is always masked.
    ///
    /// ```
    /// use tenantry::audit::Masking;
    /// assert!(Masking::is_sensitive_name("SMTP_PASSWORD"));
    /// assert!(Masking::is_sensitive_name("api-key"));
    /// assert!(!Masking::is_sensitive_name("theme"));
    /// ```
    pub fn is_sensitive_name(name: &str) -> bool {
        if !name.bytes().any(|b| HAS_KEY_LETTER.get(usize::from(b)).copied().unwrap_or(false)) {
            return false;
        }
        // The names are ASCII, so the bytes of other characters never match: normalize bytewise,
        // on the stack for ordinary names (this runs for every masked or diffed value).
        let mut buf = [0u8; 64];
        let mut len = 0;
        for b in name.bytes().filter(|b| *b != b'_' && *b != b'-') {
            match buf.get_mut(len) {
                Some(slot) => *slot = b.to_ascii_lowercase(),
                None => return Masking::is_sensitive_long_name(name),
            }
            len += 1;
        }
        let normalized = buf.get(..len).unwrap_or_default();
        // Compared byte by byte: most comparisons end at the first byte, and a memcmp call per
        // position and name cost more than the whole scan.
        let at =
            |rest: &[u8], s: &str| rest.len() >= s.len() && rest.iter().zip(s.bytes()).all(|(a, b)| *a == b);
        // Every sensitive name starts with one of these letters: only there can one begin.
        (0..len).any(|i| {
            let rest = normalized.get(i..).unwrap_or_default();
            matches!(rest.first(), Some(b'p' | b's' | b't' | b'a'))
                && SENSITIVE_NAMES.iter().any(|s| at(rest, s))
        })
    }

    fn is_sensitive_long_name(name: &str) -> bool {
        let normalized: String =
            name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
        SENSITIVE_NAMES.iter().any(|s| normalized.contains(s))
    }

    /// True when the value at this JSON Pointer is masked.
    ///
    /// ```
    /// assert!(tenantry::audit::Masking::new().is_sensitive("/db/password/old"));
    /// ```
    pub fn is_sensitive(&self, pointer: &str) -> bool {
        match parse_pointer(pointer) {
            Ok(segments) => self.segments_sensitive(&segments),
            Err(_) => false,
        }
    }

    /// A copy of `value` with every sensitive value inside it masked (paths relative to `value`).
    ///
    /// ```
    /// let m = tenantry::audit::Masking::new();
    /// let v = m.mask(&serde_json::json!({"user": "ada", "token": "t0k"}));
    /// assert_eq!(v, serde_json::json!({"user": "ada", "token": "***"}));
    /// ```
    pub fn mask(&self, value: &Value) -> Value {
        let tree = Tree::from(value);
        self.masked(&tree, &mut Vec::new()).map_or_else(|| value.clone(), |masked| masked.to_value())
    }

    fn segments_sensitive<S: AsRef<str>>(&self, segments: &[S]) -> bool {
        segments.iter().any(|s| Masking::is_sensitive_name(s.as_ref()))
            || self.paths.iter().any(|p| {
                p.len() <= segments.len() && p.iter().zip(segments).all(|(want, got)| want == got.as_ref())
            })
    }

    /// The masked copy of `value` (at `path`), or `None` when nothing in it is sensitive (the
    /// common case, which copies nothing).
    fn masked<'a, 'v>(&self, value: &'v Tree<'a>, path: &mut Vec<Cow<'v, str>>) -> Option<Tree<'a>> {
        if self.segments_sensitive(path) {
            return Some(MASKED);
        }
        self.masked_inside(value, path)
    }

    /// [`masked`](Self::masked) for a value whose own path is known not to be sensitive.
    fn masked_inside<'a, 'v>(&self, value: &'v Tree<'a>, path: &mut Vec<Cow<'v, str>>) -> Option<Tree<'a>> {
        match value {
            Tree::Object(members) => {
                let mut copy: Option<Vec<(Cow<'a, str>, Tree<'a>)>> = None;
                for (i, (k, v)) in members.iter().enumerate() {
                    path.push(Cow::Borrowed(k));
                    let masked = self.masked(v, path);
                    path.pop();
                    if let Some(c) = copied(&mut copy, masked.is_some(), members, i) {
                        c.push((k.clone(), masked.unwrap_or_else(|| v.clone())));
                    }
                }
                copy.map(Tree::Object)
            }
            Tree::Array(items) => {
                let mut copy: Option<Vec<Tree<'a>>> = None;
                for (i, v) in items.iter().enumerate() {
                    path.push(Cow::Owned(i.to_string()));
                    let masked = self.masked(v, path);
                    path.pop();
                    if let Some(c) = copied(&mut copy, masked.is_some(), items, i) {
                        c.push(masked.unwrap_or_else(|| v.clone()));
                    }
                }
                copy.map(Tree::Array)
            }
            _ => None,
        }
    }

    /// Masks values under sensitive names anywhere in an object (metadata has no schema paths).
    pub(crate) fn mask_names_in_object(&self, map: Map<String, Value>) -> Map<String, Value> {
        let names_only = Masking::new();
        match names_only.mask(&Value::Object(map)) {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }
}

/// Splits an RFC 6901 JSON Pointer into unescaped segments.
fn parse_pointer(pointer: &str) -> Result<Vec<String>> {
    use crate::settings::pointer;
    if !pointer::is_valid(pointer) {
        return Err(issue(
            ErrorCode::AuditInvalidRecord,
            "/sensitive_paths",
            "json_pointer",
            &format!(
                "{pointer:?} is not a JSON Pointer (it must be empty or start with /, with ~ only in ~0 and ~1)"
            ),
        ));
    }
    Ok(pointer::segments(pointer))
}

/// Escapes one member name for a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_segment(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(name.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(name)
    }
}

/// The changes from `before` to `after`: objects are compared member by member (recursively);
/// any other value (including arrays) that differs is one change. Sensitive values are masked.
/// The changes come in the order of the documents' RFC 8785 canonical JSON (each object's
/// members by the UTF-16 code units of their names), so the same documents give the same list
/// (and a record the same hash) whatever order they list their members in.
///
/// ```
/// use serde_json::json;
/// use tenantry::audit::{diff, Change, Masking};
/// let changes = diff(&json!({"a": 1, "b": {"c": 2}}), &json!({"b": {"c": 3}, "d": [1]}), &Masking::new());
/// assert_eq!(changes, vec![
///     Change::new("/a", Some(json!(1)), None),
///     Change::new("/b/c", Some(json!(2)), Some(json!(3))),
///     Change::new("/d", None, Some(json!([1]))),
/// ]);
/// ```
pub fn diff(before: &Value, after: &Value, masking: &Masking) -> Vec<Change> {
    diff_trees(Some(&Tree::from(before)), Some(&Tree::from(after)), masking)
}

/// [`diff`] of documents held as [`Tree`]s (what the bindings convert their data to, without
/// copying strings), where either may be missing: a missing object document is a creation or a
/// deletion of every member.
///
/// ```
/// use serde_json::json;
/// use tenantry::audit::{diff_trees, Change, Masking};
/// use tenantry::json_tree::Tree;
/// let after = json!({"token": "t0k", "plan": "pro"});
/// let changes = diff_trees(None, Some(&Tree::from(&after)), &Masking::new());
/// assert_eq!(changes, vec![
///     Change::new("/plan", None, Some(json!("pro"))),
///     Change::new("/token", None, Some(json!("***"))),
/// ]);
/// ```
pub fn diff_trees(before: Option<&Tree<'_>>, after: Option<&Tree<'_>>, masking: &Masking) -> Vec<Change> {
    Changes::diff(before, after, masking).to_vec()
}

/// The changes of a record, with their values borrowed from the documents they were computed
/// from: the paths share one buffer, and only masked values are copies. A builder hands them
/// to [`build_then`](super::AuditRecordBuilder::build_then); the bindings turn them into their
/// own objects without an owned [`Change`] in between.
///
/// ```
/// use serde_json::json;
/// use tenantry::audit::{Change, Changes, Masking};
/// use tenantry::json_tree::Tree;
/// let (before, after) = (Tree::from(json!({"a": 1, "pin": 1})), Tree::from(json!({"a": 2, "pin": 2})));
/// let masking = Masking::new().with_paths(["/pin"])?;
/// let changes = Changes::diff(Some(&before), Some(&after), &masking);
/// assert_eq!(changes.to_vec(), vec![
///     Change::new("/a", Some(json!(1)), Some(json!(2))),
///     Change::new("/pin", Some(json!("***")), Some(json!("***"))),
/// ]);
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes<'t> {
    paths: String,
    items: Vec<Item<'t>>,
}

/// One change of [`Changes`]: where its path ends in the shared buffer, and its values.
#[derive(Debug, Clone, PartialEq)]
struct Item<'t> {
    path_end: usize,
    before: Option<Shown<'t>>,
    after: Option<Shown<'t>>,
}

/// A value as a change shows it: the document's own, masked, or a copy with masked parts
/// (boxed: rare, and it keeps every item small).
#[derive(Debug, Clone, PartialEq)]
enum Shown<'t> {
    Doc(&'t Tree<'t>),
    Masked,
    Copy(Box<Tree<'t>>),
}

impl<'t> Shown<'t> {
    fn of(masked: Option<Tree<'t>>, doc: &'t Tree<'t>) -> Self {
        masked.map_or(Shown::Doc(doc), |copy| Shown::Copy(Box::new(copy)))
    }

    fn tree(&self) -> &Tree<'t> {
        match self {
            Shown::Doc(tree) => tree,
            Shown::Masked => &MASKED,
            Shown::Copy(copy) => copy,
        }
    }
}

/// One change, borrowed from [`Changes`]: a JSON Pointer path, the value before and the value
/// after (`None`: the member did not exist).
///
/// ```
/// use serde_json::json;
/// use tenantry::audit::{Changes, Masking};
/// use tenantry::json_tree::Tree;
/// let after = Tree::from(json!({"theme": "dark"}));
/// let changes = Changes::diff(None, Some(&after), &Masking::new());
/// let change = changes.iter().next().unwrap();
/// assert_eq!((change.path, change.before), ("/theme", None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeRef<'c, 't> {
    /// RFC 6901 JSON Pointer to the value inside the document.
    pub path: &'c str,
    /// The old value; `None` when the member was added.
    pub before: Option<&'c Tree<'t>>,
    /// The new value; `None` when the member was removed.
    pub after: Option<&'c Tree<'t>>,
}

impl ChangeRef<'_, '_> {
    /// The owned [`Change`].
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::audit::{Change, Changes, Masking};
    /// use tenantry::json_tree::Tree;
    /// let before = Tree::from(json!({"n": 1}));
    /// let changes = Changes::diff(Some(&before), None, &Masking::new());
    /// assert_eq!(changes.iter().next().unwrap().to_change(), Change::new("/n", Some(json!(1)), None));
    /// ```
    pub fn to_change(&self) -> Change {
        Change::new(self.path, self.before.map(Tree::to_value), self.after.map(Tree::to_value))
    }
}

impl<'t> Changes<'t> {
    /// What changed from `before` to `after`, as [`diff_trees`] computes it, with the unmasked
    /// values borrowed from the documents.
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::audit::{Changes, Masking};
    /// use tenantry::json_tree::Tree;
    /// let (before, after) = (Tree::from(json!({"a": 1})), Tree::from(json!({"a": 1.0})));
    /// assert!(Changes::diff(Some(&before), Some(&after), &Masking::new()).is_empty());
    /// ```
    pub fn diff(before: Option<&'t Tree<'t>>, after: Option<&'t Tree<'t>>, masking: &Masking) -> Self {
        static EMPTY: Tree<'static> = Tree::Object(Vec::new());
        // Room for every top-level member to change (one allocation each in the common case).
        let members = |doc: Option<&Tree<'_>>| match doc {
            Some(Tree::Object(members)) => members.len(),
            _ => 1,
        };
        let room = members(before).max(members(after));
        let mut out = Changes { paths: String::with_capacity(16 * room), items: Vec::with_capacity(room) };
        let mut path = Vec::with_capacity(8);
        match (before, after) {
            (None, None) => {}
            (None, Some(a)) if a.is_object() => diff_at(Some(&EMPTY), Some(a), &mut path, masking, &mut out),
            (Some(b), None) if b.is_object() => diff_at(Some(b), Some(&EMPTY), &mut path, masking, &mut out),
            (b, a) => diff_at(b, a, &mut path, masking, &mut out),
        }
        out
    }

    /// Caller-given changes, masked by their paths (and sensitive names inside their values).
    pub(crate) fn given(changes: &'t [Change], masking: &Masking) -> Self {
        let mut out = Changes::default();
        for c in changes {
            let segments = parse_pointer(&c.path).unwrap_or_default();
            let mask = |v: &'t Value| {
                let mut path: Vec<Cow<'_, str>> =
                    segments.iter().map(|s| Cow::Borrowed(s.as_str())).collect();
                let tree = Tree::from(v);
                Shown::Copy(Box::new(masking.masked(&tree, &mut path).unwrap_or(tree)))
            };
            out.paths.push_str(&c.path);
            let item = Item {
                path_end: out.paths.len(),
                before: c.before.as_ref().map(mask),
                after: c.after.as_ref().map(mask),
            };
            out.items.push(item);
        }
        out
    }

    /// How many changes there are.
    ///
    /// ```
    /// assert_eq!(tenantry::audit::Changes::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing changed.
    ///
    /// ```
    /// assert!(tenantry::audit::Changes::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The changes, in order.
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::audit::{Changes, Masking};
    /// use tenantry::json_tree::Tree;
    /// let after = Tree::from(json!({"a": 1, "b": 2}));
    /// let changes = Changes::diff(None, Some(&after), &Masking::new());
    /// assert_eq!(changes.iter().map(|c| c.path).collect::<Vec<_>>(), ["/a", "/b"]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ChangeRef<'_, 't>> {
        let mut start = 0;
        self.items.iter().map(move |item| {
            let path = self.paths.get(start..item.path_end).unwrap_or_default();
            start = item.path_end;
            ChangeRef {
                path,
                before: item.before.as_ref().map(Shown::tree),
                after: item.after.as_ref().map(Shown::tree),
            }
        })
    }

    /// The owned [`Change`]s.
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::audit::{Change, Changes, Masking};
    /// use tenantry::json_tree::Tree;
    /// let after = Tree::from(json!({"a": 1}));
    /// let changes = Changes::diff(None, Some(&after), &Masking::new());
    /// assert_eq!(changes.to_vec(), vec![Change::new("/a", None, Some(json!(1)))]);
    /// ```
    pub fn to_vec(&self) -> Vec<Change> {
        self.iter().map(|c| c.to_change()).collect()
    }
}

/// The copy being made of a container's items once one of them is masked: started (with the
/// items before `i`) the first time `changed`; `None` while nothing has been.
fn copied<'c, T: Clone>(
    copy: &'c mut Option<Vec<T>>,
    changed: bool,
    items: &[T],
    i: usize,
) -> Option<&'c mut Vec<T>> {
    if copy.is_none() && changed {
        let mut started = Vec::with_capacity(items.len());
        started.extend(items.iter().take(i).cloned());
        *copy = Some(started);
    }
    copy.as_mut()
}

const SCAN_MEMBERS: usize = 16;

type Members<'t, 'a> = &'t [(Cow<'a, str>, Tree<'a>)];

/// Finds an object's members by name without hashing: a scan for small objects (nearly all), a
/// binary search over a sorted index for large ones.
struct Lookup<'t, 'a> {
    members: Members<'t, 'a>,
    sorted: Vec<(&'t str, &'t Tree<'a>)>,
}

impl<'t, 'a> Lookup<'t, 'a> {
    fn new(members: Members<'t, 'a>) -> Self {
        let mut sorted = Vec::new();
        if members.len() > SCAN_MEMBERS {
            sorted.extend(members.iter().map(|(k, v)| (k.as_ref(), v)));
            sorted.sort_unstable_by(|x, y| x.0.cmp(y.0));
        }
        Lookup { members, sorted }
    }

    /// [`get`](Self::get), trying position `hint` first: two versions of a document usually
    /// list their members in the same order, so the member at the same index is the one.
    fn get_near(&self, name: &str, hint: usize) -> Option<&'t Tree<'a>> {
        match self.members.get(hint) {
            Some((k, v)) if k == name => Some(v),
            _ => self.get(name),
        }
    }

    fn get(&self, name: &str) -> Option<&'t Tree<'a>> {
        if self.members.len() <= SCAN_MEMBERS {
            return self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        }
        let i = self.sorted.binary_search_by(|(k, _)| (*k).cmp(name)).ok()?;
        self.sorted.get(i).map(|(_, v)| *v)
    }
}

/// A member of either of two objects being compared: its name, and its value in each.
type Member<'t> = (&'t str, Option<&'t Tree<'t>>, Option<&'t Tree<'t>>);

fn diff_at<'t>(
    before: Option<&'t Tree<'t>>,
    after: Option<&'t Tree<'t>>,
    path: &mut Vec<Cow<'t, str>>,
    masking: &Masking,
    out: &mut Changes<'t>,
) {
    if let (Some(Tree::Object(b)), Some(Tree::Object(a))) = (before, after) {
        let (in_before, in_after) = (Lookup::new(b), Lookup::new(a));
        let mut members: Vec<Member<'t>> = Vec::with_capacity(b.len().max(a.len()));
        members
            .extend(b.iter().enumerate().map(|(i, (k, bv))| (k.as_ref(), Some(bv), in_after.get_near(k, i))));
        let added = a.iter().enumerate().filter(|(i, (k, _))| in_before.get_near(k, *i).is_none());
        members.extend(added.map(|(_, (k, av))| (k.as_ref(), None, Some(av))));
        // In RFC 8785 order, as the documents' canonical JSON lists them: the changes (and so the
        // record's hash) do not depend on the order a document happens to list its members in
        // (a JavaScript object puts integer-like names first, PostgreSQL's jsonb the shortest).
        crate::canonical_json::sort_by_name(&mut members, |(name, _, _)| name);
        for (name, b, a) in members {
            path.push(Cow::Borrowed(name));
            diff_at(b, a, path, masking, out);
            path.pop();
        }
        return;
    }
    let same = match (before, after) {
        (Some(b), Some(a)) => json_eq(b, a),
        (None, None) => true,
        _ => false,
    };
    if same {
        return;
    }
    for seg in path.iter() {
        out.paths.push('/');
        out.paths.push_str(&escape_segment(seg));
    }
    let sensitive = masking.segments_sensitive(path);
    let mut shown = |v: &'t Tree<'t>| {
        if sensitive { Shown::Masked } else { Shown::of(masking.masked_inside(v, path), v) }
    };
    // The item is pushed empty and filled in place: pushing it whole built it on the stack first
    // and copied it with wider loads than the stores that had just written it (a store-forwarding
    // stall every change).
    out.items.push(Item { path_end: out.paths.len(), before: None, after: None });
    if let Some(item) = out.items.last_mut() {
        item.before = before.map(&mut shown);
        item.after = after.map(&mut shown);
    }
}

fn json_eq(a: &Tree<'_>, b: &Tree<'_>) -> bool {
    match (a, b) {
        (Tree::Number(x), Tree::Number(y)) => same_number(x, y),
        (Tree::Array(x), Tree::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Tree::Object(x), Tree::Object(y)) => {
            let in_y = Lookup::new(y);
            x.len() == y.len()
                && x.iter().enumerate().all(|(i, (k, v))| in_y.get_near(k, i).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::{Masking, SENSITIVE_NAMES};

    /// The plain definition: the name, without `_` and `-`, lowercased, contains a sensitive name.
    fn reference(name: &str) -> bool {
        let normalized: String =
            name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
        SENSITIVE_NAMES.iter().any(|s| normalized.contains(s))
    }

    #[test]
    fn a_schema_settings_refuse_is_refused_with_their_error() {
        use serde_json::json;
        for pin in [
            json!({"type": "string", "x-sensitve": true}),
            json!({"type": "string", "X-Sensitive": true}),
            json!({"type": "string", "x-sensitive": "yes"}),
            json!({"type": "array", "items": {"type": "string", "x-sensitive": true}}),
        ] {
            let schema = json!({"type": "object", "properties": {"pin": pin}});
            let settings = crate::settings::SettingsSchema::new(&schema).map(|_| ()).unwrap_err();
            let audit = Masking::new().with_schema(&schema).map(|_| ()).unwrap_err();
            assert_eq!(audit.code(), "settings.invalid_schema", "{schema}");
            assert_eq!(audit.issues(), settings.issues(), "{schema}");
        }
        // What settings honour is masked, with everything inside it.
        let schema =
            json!({"properties": {"smtp": {"x-sensitive": true, "properties": {"host": {}}}, "port": {}}});
        let m = Masking::new().with_schema(&schema).unwrap();
        assert!(m.is_sensitive("/smtp") && m.is_sensitive("/smtp/host") && m.is_sensitive("/smtp/x/0"));
        assert!(!m.is_sensitive("/port") && !m.is_sensitive("/smtpx"));
    }

    #[test]
    fn every_sensitive_name_holds_a_key_letter() {
        for s in SENSITIVE_NAMES {
            assert!(s.bytes().any(|b| super::HAS_KEY_LETTER[usize::from(b)]), "{s}");
        }
    }

    #[test]
    fn sensitive_names_match_the_plain_definition() {
        let mut names = vec![String::new(), "theme".into(), "pass".into(), "passw".into(), "toke".into()];
        for s in SENSITIVE_NAMES {
            for (prefix, suffix) in [("", ""), ("x", ""), ("", "x"), ("pp", "_old"), ("a", "s"), ("sec", "")]
            {
                names.push(format!("{prefix}{s}{suffix}"));
                names.push(format!("{prefix}{}{suffix}", s.to_uppercase()));
                // Separators anywhere inside, and every proper prefix (a near miss).
                for cut in 1..s.len() {
                    names.push(format!("{prefix}{}_{}{suffix}", &s[..cut], &s[cut..]));
                    names.push(format!("{prefix}{}-{}{suffix}", &s[..cut].to_uppercase(), &s[cut..]));
                    names.push(format!("{prefix}{}{suffix}", &s[..cut]));
                }
            }
        }
        // Longer than the stack buffer, and non-ASCII.
        names.push(format!("{}password", "x".repeat(70)));
        names.push(format!("{}pass", "y".repeat(70)));
        names.push("mot_de_passe_é_token".into());
        for name in &names {
            assert_eq!(Masking::is_sensitive_name(name), reference(name), "{name:?}");
        }
    }
}
