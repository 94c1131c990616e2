//! tenantry's `x-*` schema annotations, parsed once at compile time into one [`FieldInfo`] per
//! property (with what it inherits from its parents already applied).

use serde_json::Value;

use crate::{Error, ErrorCode, Issue, Result};

/// Who is asking: the audience of a view, or the caller of an update.
///
/// Ranked `Public < Member < Admin < System`; `System` may set anything, including fields marked
/// `"x-editable": false`.
///
/// ```
/// use tenantry::settings::Role;
/// assert_eq!(Role::parse("admin")?, Role::Admin);
/// assert!(Role::Admin > Role::Member);
/// assert_eq!(Role::System.as_str(), "system");
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Anyone, unauthenticated (sees only `public` fields, may change nothing).
    Public,
    /// A signed-in member of the tenant.
    Member,
    /// A tenant administrator.
    Admin,
    /// The platform itself (migrations, plan changes): may set non-editable fields.
    System,
}

impl Role {
    /// The role a change is made as, and the audience a view is for, when the caller names none.
    ///
    /// ```
    /// assert_eq!(tenantry::settings::Role::DEFAULT.as_str(), "member");
    /// ```
    pub const DEFAULT: Role = Role::Member;

    /// The audience of a schema's list of entries when the caller names none: every field an
    /// administrator may see (the list is for building a settings page).
    ///
    /// ```
    /// assert_eq!(tenantry::settings::Role::DEFAULT_ENTRIES_AUDIENCE.as_str(), "admin");
    /// ```
    pub const DEFAULT_ENTRIES_AUDIENCE: Role = Role::Admin;

    /// Parses `public`, `member`, `admin` or `system`; anything else is `input.invalid`.
    ///
    /// ```
    /// assert!(tenantry::settings::Role::parse("root").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Role> {
        match text {
            "public" => Ok(Role::Public),
            "member" => Ok(Role::Member),
            "admin" => Ok(Role::Admin),
            "system" => Ok(Role::System),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                "role must be one of \"public\", \"member\", \"admin\", \"system\"",
            )),
        }
    }

    /// The role's name.
    ///
    /// ```
    /// assert_eq!(tenantry::settings::Role::Member.as_str(), "member");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Member => "member",
            Role::Admin => "admin",
            Role::System => "system",
        }
    }
}

/// Who may see a field (`x-visibility`; default `member`).
///
/// ```
/// use tenantry::settings::{Role, Visibility};
/// assert!(Visibility::Member.visible_to(Role::Admin));
/// assert!(!Visibility::Admin.visible_to(Role::Member));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    /// Everyone, including unauthenticated callers.
    Public,
    /// Members of the tenant and admins.
    Member,
    /// Admins only.
    Admin,
}

impl Visibility {
    /// The annotation value.
    ///
    /// ```
    /// assert_eq!(tenantry::settings::Visibility::Public.as_str(), "public");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Member => "member",
            Visibility::Admin => "admin",
        }
    }

    /// Whether a caller with `role` may see a field with this visibility.
    ///
    /// ```
    /// use tenantry::settings::{Role, Visibility};
    /// assert!(Visibility::Public.visible_to(Role::Public));
    /// ```
    pub fn visible_to(self, role: Role) -> bool {
        let needed = match self {
            Visibility::Public => Role::Public,
            Visibility::Member => Role::Member,
            Visibility::Admin => Role::Admin,
        };
        role >= needed
    }
}

/// Everything the schema says about one property, with the parents' annotations applied: a field
/// inside an admin-only object is admin-only, a field inside a non-editable object is non-editable.
///
/// ```
/// use serde_json::json;
/// let schema = tenantry::settings::SettingsSchema::new(&json!({
///     "type": "object",
///     "properties": {"api_key": {"type": "string", "x-sensitive": true, "x-category": "integrations"}}
/// }))?;
/// let field = schema.field("/api_key").unwrap();
/// assert!(field.sensitive);
/// assert_eq!(field.key, "api_key");
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    /// JSON Pointer of the field, e.g. `/ai_settings/temperature`.
    pub pointer: String,
    /// Dotted key of the field, e.g. `ai_settings.temperature`.
    pub key: String,
    /// Who may see it.
    pub visibility: Visibility,
    /// `false` when only the system may set it (`x-editable: false`).
    pub editable: bool,
    /// The lowest role that may set it (`x-editable-by`; default `member`).
    pub editable_by: Role,
    /// Masked in changes, hidden below admin (`x-sensitive`).
    pub sensitive: bool,
    /// Registry category (`x-category`, inherited from the parent when absent).
    pub category: Option<String>,
    /// The schema's `description`, or its `title`.
    pub description: Option<String>,
    /// The materialised default (`None` when the schema gives none).
    pub default: Option<Value>,
    /// `true` for a setting proper (not an object of further declared properties).
    pub leaf: bool,
}

impl FieldInfo {
    /// Whether `role` may change this field.
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"plan": {"type": "string", "x-editable": false}}
    /// }))?;
    /// let plan = schema.field("/plan").unwrap();
    /// assert!(!plan.editable_for(Role::Admin));
    /// assert!(plan.editable_for(Role::System));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn editable_for(&self, role: Role) -> bool {
        role == Role::System
            || (self.editable && role >= self.editable_by && self.visibility.visible_to(role))
    }

    /// Whether `role` may see this field (sensitive fields need `admin`).
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"token": {"type": "string", "x-sensitive": true}}
    /// }))?;
    /// assert!(!schema.field("/token").unwrap().visible_to(Role::Member));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn visible_to(&self, role: Role) -> bool {
        self.visibility.visible_to(role) && (!self.sensitive || role >= Role::Admin)
    }
}

/// The inherited part of the annotations, passed down while walking the schema.
#[derive(Debug, Clone)]
pub(crate) struct Inherited {
    /// The narrowest explicit `x-visibility` on the way down (`None`: default `member`).
    pub visibility: Option<Visibility>,
    pub editable: bool,
    pub editable_by: Role,
    pub sensitive: bool,
    pub category: Option<String>,
}

impl Default for Inherited {
    fn default() -> Self {
        Inherited {
            visibility: None,
            editable: true,
            editable_by: Role::Member,
            sensitive: false,
            category: None,
        }
    }
}

pub(crate) fn bad(path: &str, message: &str) -> Error {
    Error::with_issues(
        ErrorCode::SettingsInvalidSchema,
        format!("invalid schema at {path}: {message}"),
        vec![Issue::new(path, "annotation", message)],
    )
}

/// tenantry's annotations: the keywords [`annotate`] reads.
pub(crate) const ANNOTATIONS: [&str; 5] =
    ["x-visibility", "x-editable", "x-editable-by", "x-sensitive", "x-category"];

/// The keywords of JSON Schema (every draft the validator knows): never taken for a misspelt
/// annotation, however close.
const JSON_SCHEMA_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "unevaluatedItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
];

/// The annotation a keyword that is not one was surely meant to be: the same name in another
/// case, with `_` or another dash (`‐`, `–`, `−`, ...) for `-`, or one or two characters away
/// (`xsensitive`, `x-sensitve`, `sensitive`). JSON Schema ignores keywords it does not know, so a
/// misspelt `x-sensitive` would leave a secret unmasked without a word; JSON Schema's own
/// keywords and other names (a form builder's `x-order`, an OpenAPI tool's) are left alone.
pub(crate) fn meant_annotation(keyword: &str) -> Option<&'static str> {
    if ANNOTATIONS.contains(&keyword) || JSON_SCHEMA_KEYWORDS.contains(&keyword) {
        return None;
    }
    let normalized: Vec<char> =
        keyword.chars().flat_map(char::to_lowercase).map(|c| if is_dash(c) { '-' } else { c }).collect();
    ANNOTATIONS
        .into_iter()
        .map(|name| (edits_up_to_three(&normalized, &name.chars().collect::<Vec<_>>()), name))
        .filter(|(edits, _)| *edits <= 2)
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, name)| name)
}

/// `_`, and the Unicode dashes and hyphens a name can be typed or pasted with.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{2010}'..='\u{2015}' | '\u{2043}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// How many insertions, deletions or substitutions turn `a` into `b` (Levenshtein distance, in
/// characters), counted up to 3: 3 means three or more.
fn edits_up_to_three<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    // One row of the distance table at a time, each entry capped at 3 (= too far).
    let mut row: Vec<usize> = (0..=b.len()).map(|j| j.min(3)).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(3);
        let mut left = (i + 1).min(3);
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        for (j, cb) in b.iter().enumerate() {
            let Some(up) = row.get(j + 1).copied() else { break };
            let here = (diagonal + usize::from(ca != cb)).min(up + 1).min(left + 1).min(3);
            diagonal = up;
            left = here;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = here;
            }
        }
    }
    row.last().copied().unwrap_or(3)
}

/// Applies one property schema's `x-*` annotations on top of what it inherits.
/// `schema_path` is the JSON Pointer of the property schema inside the schema document.
pub(crate) fn annotate(node: &Value, parent: &Inherited, schema_path: &str) -> Result<Inherited> {
    let mut out = parent.clone();
    let Some(obj) = node.as_object() else { return Ok(out) };
    if let Some(v) = obj.get("x-visibility") {
        let vis = match v.as_str() {
            Some("public") => Visibility::Public,
            Some("member") => Visibility::Member,
            Some("admin") => Visibility::Admin,
            _ => {
                return Err(bad(
                    &format!("{schema_path}/x-visibility"),
                    "x-visibility must be \"public\", \"member\" or \"admin\"",
                ));
            }
        };
        // A child can narrow what its parent shows, never widen it.
        out.visibility = Some(out.visibility.map_or(vis, |parent| parent.max(vis)));
    }
    if let Some(v) = obj.get("x-editable") {
        let Some(editable) = v.as_bool() else {
            return Err(bad(&format!("{schema_path}/x-editable"), "x-editable must be true or false"));
        };
        out.editable = out.editable && editable;
    }
    if let Some(v) = obj.get("x-editable-by") {
        let role = match v.as_str() {
            Some("member") => Role::Member,
            Some("admin") => Role::Admin,
            Some("system") => Role::System,
            _ => {
                return Err(bad(
                    &format!("{schema_path}/x-editable-by"),
                    "x-editable-by must be \"member\", \"admin\" or \"system\"",
                ));
            }
        };
        out.editable_by = out.editable_by.max(role);
    }
    if let Some(v) = obj.get("x-sensitive") {
        let Some(sensitive) = v.as_bool() else {
            return Err(bad(&format!("{schema_path}/x-sensitive"), "x-sensitive must be true or false"));
        };
        out.sensitive = out.sensitive || sensitive;
    }
    if let Some(v) = obj.get("x-category") {
        let Some(category) = v.as_str() else {
            return Err(bad(&format!("{schema_path}/x-category"), "x-category must be a string"));
        };
        out.category = Some(category.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_of_annotations_are_caught_and_other_keywords_are_not() {
        for (keyword, meant) in [
            ("x-sensitve", "x-sensitive"),
            ("x-senstive", "x-sensitive"),
            ("X-Sensitive", "x-sensitive"),
            ("x_sensitive", "x-sensitive"),
            ("x-editble", "x-editable"),
            ("x-editable_by", "x-editable-by"),
            ("x-editableby", "x-editable-by"),
            ("x-visiblity", "x-visibility"),
            ("x-catgory", "x-category"),
            ("xsensitive", "x-sensitive"),
            ("x\u{2010}sensitive", "x-sensitive"),
            ("x\u{2013}editable", "x-editable"),
            ("x-sensitivé", "x-sensitive"),
            ("sensitive", "x-sensitive"),
            ("editable_by", "x-editable-by"),
            ("x sensitive", "x-sensitive"),
        ] {
            assert_eq!(meant_annotation(keyword), Some(meant), "{keyword}");
        }
        for keyword in [
            "x-sensitive",
            "x-editable",
            "x-order",
            "x-ui-widget",
            "x-visible",
            "x-sensitivity",
            "secret",
            "readOnly",
            "properties",
            "",
        ] {
            assert_eq!(meant_annotation(keyword), None, "{keyword}");
        }
    }

    #[test]
    fn edits_are_levenshtein_distance_capped_at_three() {
        for (a, b, edits) in [
            ("abc", "abc", 0),
            ("abc", "ac", 1),
            ("abc", "xbz", 2),
            ("", "ab", 2),
            ("", "abc", 3),
            ("abc", "xyz", 3),
            ("kitten", "sitting", 3),
            ("x-editableby", "x-editable-by", 1),
            ("x-editableby", "x-editable", 2),
            ("x\u{2010}sensitive", "x-sensitive", 1),
        ] {
            let chars = |s: &str| s.chars().collect::<Vec<_>>();
            assert_eq!(edits_up_to_three(&chars(a), &chars(b)), edits, "{a} -> {b}");
        }
    }
}
