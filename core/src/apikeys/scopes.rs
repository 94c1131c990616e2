//! Scopes: `resource:action` strings, wildcards `resource:*`, `*:action` and `*`, and the
//! all-of / any-of requirements a request checks against a key's granted scopes.

use crate::{Error, ErrorCode, Result};

/// Longest resource or action name.
const MAX_PART_LEN: usize = 64;

fn is_name(part: &str) -> bool {
    let mut bytes = part.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && part.len() <= MAX_PART_LEN
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.'))
}

fn is_part(part: &str) -> bool {
    part == "*" || is_name(part)
}

/// True when `scope` is a valid scope to grant: `resource:action`, `resource:*`, `*:action` or `*`.
///
/// Names start with a lowercase letter and continue with lowercase letters, digits, `_`, `-`, `.`
/// (at most 64 characters each).
///
/// ```
/// use tenantry::apikeys::is_valid_scope;
/// assert!(is_valid_scope("webhooks:write") && is_valid_scope("settings:*") && is_valid_scope("*"));
/// assert!(!is_valid_scope("webhooks") && !is_valid_scope("Webhooks:write") && !is_valid_scope("a:b:c"));
/// ```
pub fn is_valid_scope(scope: &str) -> bool {
    scope == "*" || scope.split_once(':').is_some_and(|(r, a)| is_part(r) && is_part(a))
}

/// True when `scope` is a concrete `resource:action` (no wildcard), the form a request requires.
///
/// ```
/// use tenantry::apikeys::is_concrete_scope;
/// assert!(is_concrete_scope("settings:read"));
/// assert!(!is_concrete_scope("settings:*") && !is_concrete_scope("*"));
/// ```
pub fn is_concrete_scope(scope: &str) -> bool {
    scope.split_once(':').is_some_and(|(r, a)| is_name(r) && is_name(a))
}

/// Validates scopes to grant; the error names the first bad one.
///
/// ```
/// use tenantry::apikeys::validate_scopes;
/// assert!(validate_scopes(&["webhooks:write", "*:read"]).is_ok());
/// assert_eq!(validate_scopes(&["webhooks.write"]).unwrap_err().code(), "apikey.invalid_scope");
/// ```
pub fn validate_scopes<S: AsRef<str>>(scopes: &[S]) -> Result<()> {
    for scope in scopes {
        if !is_valid_scope(scope.as_ref()) {
            return Err(invalid_scope(scope.as_ref()));
        }
    }
    Ok(())
}

/// True when `granted` (a valid scope, possibly a wildcard) covers the concrete `required` scope.
///
/// ```
/// use tenantry::apikeys::grants;
/// assert!(grants("webhooks:*", "webhooks:write") && grants("*:read", "settings:read") && grants("*", "a:b"));
/// assert!(!grants("webhooks:read", "webhooks:write"));
/// ```
pub fn grants(granted: &str, required: &str) -> bool {
    if granted == "*" {
        return true;
    }
    match (granted.split_once(':'), required.split_once(':')) {
        (Some((gr, ga)), Some((rr, ra))) => (gr == "*" || gr == rr) && (ga == "*" || ga == ra),
        _ => false,
    }
}

/// True when any of `granted` covers `required` (empty `granted` covers nothing).
///
/// ```
/// assert!(!tenantry::apikeys::granted_by(&[] as &[&str], "settings:read"));
/// ```
pub fn granted_by<S: AsRef<str>>(granted: &[S], required: &str) -> bool {
    granted.iter().any(|g| grants(g.as_ref(), required))
}

/// One item of a requirement: a scope, or a group of which any one suffices.
///
/// In JSON (and Python / Node) a plain string is one scope; a list of strings is an any-of group.
///
/// ```
/// use tenantry::apikeys::ScopeRequirement;
/// let items: Vec<ScopeRequirement> =
///     serde_json::from_str(r#"["settings:read", ["webhooks:write", "webhooks:admin"]]"#).unwrap();
/// assert_eq!(items[1], ScopeRequirement::AnyOf(vec!["webhooks:write".into(), "webhooks:admin".into()]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ScopeRequirement {
    /// This scope is required.
    Scope(String),
    /// At least one of these scopes is required.
    AnyOf(Vec<String>),
}

/// Scopes a request requires: every item must be met (all-of); an item is one scope or an
/// any-of group. Required scopes are concrete (`resource:action`, no wildcards).
///
/// ```
/// use tenantry::apikeys::{RequiredScopes, ScopeRequirement};
/// let required = RequiredScopes::new(vec![
///     ScopeRequirement::Scope("settings:read".into()),
///     ScopeRequirement::AnyOf(vec!["webhooks:write".into(), "webhooks:admin".into()]),
/// ]).unwrap();
/// assert!(required.missing(&["settings:*", "webhooks:admin"]).is_empty());
/// assert_eq!(required.missing(&["settings:read"]), vec!["webhooks:write", "webhooks:admin"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequiredScopes {
    items: Vec<ScopeRequirement>,
}

impl RequiredScopes {
    /// Validates a requirement: every scope concrete, every group non-empty.
    ///
    /// ```
    /// use tenantry::apikeys::{RequiredScopes, ScopeRequirement};
    /// let err = RequiredScopes::new(vec![ScopeRequirement::Scope("settings:*".into())]).unwrap_err();
    /// assert_eq!(err.code(), "apikey.invalid_scope");
    /// ```
    pub fn new(items: Vec<ScopeRequirement>) -> Result<Self> {
        for item in &items {
            match item {
                ScopeRequirement::Scope(s) => check_required(s)?,
                ScopeRequirement::AnyOf(group) => {
                    if group.is_empty() {
                        return Err(Error::new(
                            ErrorCode::ApiKeyInvalidScope,
                            "an any-of scope group must list at least one scope",
                        ));
                    }
                    group.iter().try_for_each(|s| check_required(s))?;
                }
            }
        }
        Ok(RequiredScopes { items })
    }

    /// Every one of `scopes` is required.
    ///
    /// ```
    /// let required = tenantry::apikeys::RequiredScopes::all_of(["settings:read", "settings:write"]).unwrap();
    /// assert_eq!(required.missing(&["settings:read"]), vec!["settings:write"]);
    /// ```
    pub fn all_of<I, S>(scopes: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(scopes.into_iter().map(|s| ScopeRequirement::Scope(s.into())).collect())
    }

    /// The items of the requirement.
    ///
    /// ```
    /// assert!(tenantry::apikeys::RequiredScopes::default().items().is_empty());
    /// ```
    pub fn items(&self) -> &[ScopeRequirement] {
        &self.items
    }

    /// Every concrete scope named by the requirement, in order.
    pub(crate) fn scopes(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .flat_map(|item| match item {
                ScopeRequirement::Scope(s) => std::slice::from_ref(s),
                ScopeRequirement::AnyOf(group) => group.as_slice(),
            })
            .map(String::as_str)
    }

    /// The required scopes `granted` does not cover: each unmet scope, and every member of each
    /// unmet any-of group (any one of them would do). Empty when the requirement is met.
    ///
    /// ```
    /// let required = tenantry::apikeys::RequiredScopes::all_of(["audit:read"]).unwrap();
    /// assert_eq!(required.missing(&[] as &[&str]), vec!["audit:read"]);
    /// assert!(required.missing(&["*:read"]).is_empty());
    /// ```
    pub fn missing<S: AsRef<str>>(&self, granted: &[S]) -> Vec<String> {
        let mut out = Vec::new();
        for item in &self.items {
            match item {
                ScopeRequirement::Scope(s) => {
                    if !granted_by(granted, s) {
                        out.push(s.clone());
                    }
                }
                ScopeRequirement::AnyOf(group) => {
                    if !group.iter().any(|s| granted_by(granted, s)) {
                        out.extend(group.iter().cloned());
                    }
                }
            }
        }
        out
    }
}

fn check_required(scope: &str) -> Result<()> {
    if is_concrete_scope(scope) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::ApiKeyInvalidScope,
            format!(
                "required scope {scope:?} is not a concrete resource:action (wildcards are only granted)"
            ),
        ))
    }
}

pub(crate) fn invalid_scope(scope: &str) -> Error {
    Error::new(
        ErrorCode::ApiKeyInvalidScope,
        format!("scope {} is not resource:action, resource:*, *:action or *", shown(scope)),
    )
}

/// A scope as quoted in messages: at most 80 characters, so a huge input cannot bloat an error.
pub(crate) fn shown(scope: &str) -> String {
    const MAX: usize = 80;
    match scope.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}…", scope.get(..cut).unwrap_or_default()),
        None => format!("{scope:?}"),
    }
}
