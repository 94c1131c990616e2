//! Partial updates: an RFC 7396 merge patch on one layer's overrides, refused for fields the role
//! may not change, checked against limits and the schema, with the list of changes and a new etag.

use serde::Serialize;
use serde_json::{Map, Value};

use super::annotations::Role;
use super::etag::etag;
use super::merge::{deep_merge, merge_patch};
use super::pointer;
use super::schema::SettingsSchema;
use crate::json_tree::same_number;
use crate::{Error, ErrorCode, Issue, Result};

/// What a sensitive value is replaced with in [`Change`]s.
///
/// ```
/// assert_eq!(tenantry::settings::MASK, "********");
/// ```
pub const MASK: &str = "********";

/// One changed leaf of the effective document (`null` when absent); sensitive values masked.
///
/// ```
/// let change = tenantry::settings::Change {
///     path: "/ai/temperature".into(),
///     before: serde_json::json!(0.7),
///     after: serde_json::json!(0.2),
/// };
/// assert_eq!(change.path, "/ai/temperature");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// JSON Pointer of the changed value.
    pub path: String,
    /// The value before (`null` if there was none).
    pub before: Value,
    /// The value after (`null` if it was removed).
    pub after: Value,
}

/// The outcome of [`SettingsSchema::apply_patch`]: store `overrides` with `etag` (compare-and-set).
///
/// ```
/// use serde_json::json;
/// let schema = tenantry::settings::SettingsSchema::new(&json!({
///     "type": "object", "properties": {"n": {"type": "integer", "default": 1}}
/// }))?;
/// let r = schema.apply_patch(&json!({}), &json!({"n": 2}), tenantry::settings::Role::Member, None)?;
/// assert_eq!(r.value, json!({"n": 2}));
/// assert_eq!(r.changes[0].before, json!(1));
/// assert_eq!(r.etag, tenantry::settings::etag(&r.overrides));
/// # Ok::<(), tenantry::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchResult {
    /// The layer's new overrides.
    pub overrides: Value,
    /// The new effective document (defaults + overrides).
    pub value: Value,
    /// What changed in the effective document.
    pub changes: Vec<Change>,
    /// The etag of the new overrides.
    pub etag: String,
}

impl SettingsSchema {
    /// Applies an RFC 7396 merge patch to one layer's `overrides` (a `null` removes an override,
    /// so the value falls back to the default; arrays are replaced whole).
    ///
    /// Refused, with nothing changed: an `expected_etag` that is not the etag of `overrides`
    /// (`settings.concurrent_update`); a patch that is not an object (`settings.invalid_patch`);
    /// changes to fields the role may not change (`not_editable`, `forbidden`), results over the
    /// limits (`too_large`, `too_deep`, `too_long`) or invalid under the schema
    /// (`settings.validation_failed` with every issue).
    ///
    /// ```
    /// use serde_json::json;
    /// use tenantry::settings::{Role, SettingsSchema};
    /// let schema = SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {
    ///         "name": {"type": "string", "default": "acme"},
    ///         "plan": {"type": "string", "default": "free", "x-editable": false}
    ///     }
    /// }))?;
    /// let err = schema.apply_patch(&json!({}), &json!({"plan": "pro"}), Role::Admin, None).unwrap_err();
    /// assert_eq!(err.issues()[0].code, "not_editable");
    /// let ok = schema.apply_patch(&json!({}), &json!({"plan": "pro"}), Role::System, None)?;
    /// assert_eq!(ok.overrides, json!({"plan": "pro"}));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn apply_patch(
        &self,
        overrides: &Value,
        patch: &Value,
        role: Role,
        expected_etag: Option<&str>,
    ) -> Result<PatchResult> {
        if !overrides.is_object() {
            return Err(Error::new(ErrorCode::SettingsInvalidPatch, "overrides must be a JSON object"));
        }
        let issues = self.limit_issues(overrides, false);
        if !issues.is_empty() {
            return Err(self.failure(issues));
        }
        if let Some(expected) = expected_etag
            && !crate::secret::ct_eq(expected.as_bytes(), etag(overrides).as_bytes())
        {
            return Err(Error::new(
                ErrorCode::SettingsConcurrentUpdate,
                "the settings changed since they were read (etag mismatch); reload and retry",
            ));
        }
        if !patch.is_object() {
            return Err(Error::new(ErrorCode::SettingsInvalidPatch, "a merge patch must be a JSON object"));
        }
        let issues = self.limit_issues(patch, false);
        if !issues.is_empty() {
            return Err(self.failure(issues));
        }
        let mut next = overrides.clone();
        merge_patch(&mut next, patch);

        // Role refusals and schema problems are reported together, so a client sees every
        // problem with its request at once.
        let mut issues = Vec::new();
        self.check_roles(Some(overrides), Some(&next), Some(patch), role, &mut String::new(), &mut issues);
        let limit_issues = self.limit_issues(&next, true);
        if !limit_issues.is_empty() {
            issues.extend(limit_issues);
            return Err(self.failure(issues));
        }
        let value = self.effective(&next);
        issues.extend(self.schema_issues(&value));
        if !issues.is_empty() {
            return Err(self.failure(issues));
        }
        let before = self.effective(overrides);
        let mut changes = Vec::new();
        self.diff(&before, &value, &mut String::new(), &mut changes);
        let etag = etag(&next);
        Ok(PatchResult { overrides: next, value, changes, etag })
    }

    /// Defaults with one layer of overrides on top (no validation).
    pub(crate) fn effective(&self, overrides: &Value) -> Value {
        let mut value = match &self.defaults {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        if let Value::Object(layer) = overrides {
            deep_merge(&mut value, layer);
        }
        Value::Object(value)
    }

    /// Every setting whose override actually changes must be editable by `role`, however the
    /// patch reaches it: set directly, or removed or rewritten with a parent object the patch
    /// deletes (`{"security": null}`) or replaces. The old and new overrides are compared (with
    /// `patch`, the patch's value at `path`, saying where the request wrote): where a value is
    /// replaced and the setting there may not be changed, that is one refusal at that place;
    /// where it may, every setting inside the old and new values is checked in turn. An object
    /// the patch writes into a declared object that had no override is merged, as into an empty
    /// one: its settings are checked, and refused, one by one.
    fn check_roles(
        &self,
        old: Option<&Value>,
        new: Option<&Value>,
        patch: Option<&Value>,
        role: Role,
        path: &mut String,
        issues: &mut Vec<Issue>,
    ) {
        let child = |key: &str| patch.and_then(|p| p.get(key));
        if let (Some(Value::Object(a)), Some(Value::Object(b))) = (old, new) {
            for (key, av) in a {
                let len = path.len();
                pointer::push(path, key);
                self.check_roles(Some(av), b.get(key), child(key), role, path, issues);
                path.truncate(len);
            }
            for (key, bv) in b.iter().filter(|(key, _)| !a.contains_key(*key)) {
                let len = path.len();
                pointer::push(path, key);
                self.check_roles(None, Some(bv), child(key), role, path, issues);
                path.truncate(len);
            }
            return;
        }
        let unchanged = match (old, new) {
            (Some(a), Some(b)) => same(a, b),
            (None, None) => true,
            _ => false,
        };
        if unchanged {
            return;
        }
        let merged =
            old.is_none() && patch.is_some_and(Value::is_object) && self.field(path).is_some_and(|f| !f.leaf);
        if !merged && let Some(issue) = self.refusal(path, role) {
            issues.push(issue);
            return;
        }
        // What the replaced or replacing objects hold is checked setting by setting.
        if let Some(Value::Object(map)) = old {
            for (key, value) in map {
                let len = path.len();
                pointer::push(path, key);
                self.check_roles(Some(value), None, None, role, path, issues);
                path.truncate(len);
            }
        }
        if let Some(Value::Object(map)) = new {
            for (key, value) in map {
                let len = path.len();
                pointer::push(path, key);
                self.check_roles(None, Some(value), child(key), role, path, issues);
                path.truncate(len);
            }
        }
    }

    /// Why `role` may not change the setting at `path`, if it may not.
    fn refusal(&self, path: &str, role: Role) -> Option<Issue> {
        match self.governing(path) {
            Some(field) if !field.editable_for(role) => Some(if !field.editable {
                Issue::new(path, "not_editable", "this setting can only be changed by the system")
            } else {
                let seen = if field.visibility == super::annotations::Visibility::Admin {
                    Role::Admin
                } else {
                    Role::Member
                };
                Issue::new(
                    path,
                    "forbidden",
                    format!(
                        "changing this setting requires the {} role",
                        field.editable_by.max(seen).as_str()
                    ),
                )
            }),
            // Keys the schema does not declare follow the root's defaults: members may
            // change them (the schema decides whether they are allowed at all).
            None if role < Role::Member => {
                Some(Issue::new(path, "forbidden", "changing this setting requires the member role"))
            }
            _ => None,
        }
    }

    fn diff(&self, before: &Value, after: &Value, path: &mut String, out: &mut Vec<Change>) {
        // An `x-sensitive` setting changes as a whole, masked: a change inside it (an object of
        // tokens keyed by token, say) would show member names, which may be the secrets.
        if self.field(path).is_some_and(|f| f.sensitive) {
            if !same(before, after) {
                let (before, after) = (self.shown(before, path, true), self.shown(after, path, true));
                out.push(Change { path: path.clone(), before, after });
            }
            return;
        }
        match (before, after) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, av) in a {
                    let len = path.len();
                    pointer::push(path, key);
                    self.diff(av, b.get(key).unwrap_or(&Value::Null), path, out);
                    path.truncate(len);
                }
                for (key, bv) in b {
                    if !a.contains_key(key) {
                        let len = path.len();
                        pointer::push(path, key);
                        self.diff(&Value::Null, bv, path, out);
                        path.truncate(len);
                    }
                }
            }
            (a, b) if !same(a, b) => {
                let sensitive = self.is_sensitive(path);
                let before = self.shown(a, path, sensitive);
                let after = self.shown(b, path, sensitive);
                out.push(Change { path: path.clone(), before, after });
            }
            _ => {}
        }
    }

    fn is_sensitive(&self, path: &str) -> bool {
        self.governing(path).is_some_and(|f| f.sensitive)
    }

    /// `value` at `path` (whose field is `sensitive` or not) as a change shows it: masked when
    /// sensitive; an object (one added or removed whole) with every sensitive field inside masked.
    fn shown(&self, value: &Value, path: &mut String, sensitive: bool) -> Value {
        if value.is_null() {
            return Value::Null;
        }
        if sensitive {
            return Value::from(MASK);
        }
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, member)| {
                        let len = path.len();
                        pointer::push(path, key);
                        let shown = self.shown(member, path, self.is_sensitive(path));
                        path.truncate(len);
                        (key.clone(), shown)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// JSON value equality, as the etag sees values: numbers by value (`1` and `1.0` are one number),
/// objects whatever their member order. A patch that writes `5.0` over `5` changes nothing.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::settings::{Role, SettingsSchema};

    fn codes(result: crate::Result<super::PatchResult>) -> Vec<(String, String)> {
        match result {
            Ok(r) => panic!("accepted: {:?}", r.changes),
            Err(e) => e.issues().iter().map(|i| (i.path.clone(), i.code.clone())).collect(),
        }
    }

    fn pair(path: &str, code: &str) -> Vec<(String, String)> {
        vec![(path.to_owned(), code.to_owned())]
    }

    fn security(mfa: Value) -> SettingsSchema {
        let schema = json!({
            "type": "object",
            "$defs": {"inner": {"type": "object", "properties": {"mfa_required": mfa}}},
            "properties": {
                "security": {"type": "object", "properties": {
                    "mfa_required": mfa,
                    "session_timeout": {"type": "integer", "default": 30},
                    "deep": {"$ref": "#/$defs/inner"}
                }}
            }
        });
        SettingsSchema::new(&schema).unwrap()
    }

    #[test]
    fn a_sensitive_object_changes_as_a_whole_and_masked() {
        // A change per member showed the member names (tokens keyed by token), masked values
        // or not; so did a migration's dropped and reset paths.
        let schema = SettingsSchema::new(&json!({
            "type": "object",
            "properties": {
                "tokens": {"type": "object", "x-sensitive": true, "additionalProperties": {"type": "integer"}},
                "seats": {"type": "integer"}
            }
        }))
        .unwrap();
        let r = schema
            .apply_patch(
                &json!({"tokens": {"sk_old": 1}}),
                &json!({"tokens": {"sk_new": 2}, "seats": 3}),
                Role::Admin,
                None,
            )
            .unwrap();
        let changes: Vec<_> = r.changes.iter().map(|c| (c.path.as_str(), &c.before, &c.after)).collect();
        assert_eq!(
            changes,
            [("/tokens", &json!("********"), &json!("********")), ("/seats", &Value::Null, &json!(3))]
        );
        let added =
            schema.apply_patch(&json!({}), &json!({"tokens": {"sk_new": 2}}), Role::Admin, None).unwrap();
        assert_eq!(
            serde_json::to_value(&added.changes).unwrap(),
            json!([{"path": "/tokens", "before": null, "after": "********"}])
        );
        let m = schema.migrate(&json!({"tokens": {"sk_a": "x", "sk_b": "y"}})).unwrap();
        let reset: Vec<_> = m.reset.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(reset, ["/tokens"]);
    }

    #[test]
    fn removing_or_replacing_a_parent_cannot_change_a_setting_the_role_may_not() {
        let locked = security(json!({"type": "boolean", "default": false, "x-editable": false}));
        let stored = json!({"security": {"mfa_required": true, "session_timeout": 15}});
        for patch in [json!({"security": null}), json!({"security": {"mfa_required": null}})] {
            assert_eq!(
                codes(locked.apply_patch(&stored, &patch, Role::Admin, None)),
                pair("/security/mfa_required", "not_editable")
            );
        }
        assert_eq!(
            codes(locked.set(&stored, "security", Value::Null, Role::Member, None)),
            pair("/security/mfa_required", "not_editable")
        );
        assert_eq!(
            codes(locked.set(&stored, "security", json!({"mfa_required": false}), Role::Member, None)),
            pair("/security/mfa_required", "not_editable")
        );
        // Deeper, behind a $ref.
        let deep = json!({"security": {"deep": {"mfa_required": true}}});
        assert_eq!(
            codes(locked.apply_patch(&deep, &json!({"security": null}), Role::Member, None)),
            pair("/security/deep/mfa_required", "not_editable")
        );
        // An override that is not there is not changed: the rest goes.
        let r = locked.apply_patch(
            &json!({"security": {"session_timeout": 15}}),
            &json!({"security": null}),
            Role::Member,
            None,
        );
        assert_eq!(r.unwrap().overrides, json!({}));
        assert!(locked.apply_patch(&stored, &json!({"security": null}), Role::System, None).is_ok());

        let admin_only = security(json!({"type": "boolean", "default": false, "x-editable-by": "admin"}));
        assert_eq!(
            codes(admin_only.apply_patch(&stored, &json!({"security": null}), Role::Member, None)),
            pair("/security/mfa_required", "forbidden")
        );
        assert!(admin_only.apply_patch(&stored, &json!({"security": null}), Role::Admin, None).is_ok());
    }
}
