//! Validation: limits first (cheap, and safe on hostile input), then the compiled schema, with
//! every problem reported as an [`Issue`] with a JSON Pointer path and a stable code.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::fields::keyword_at;
use super::pointer;
use super::schema::SettingsSchema;
use crate::{Error, ErrorCode, Issue, Result};

impl SettingsSchema {
    /// The failure for a non-empty list of issues, their paths as [`shown_issues`](Self::shown_issues)
    /// gives them.
    pub(crate) fn failure(&self, issues: Vec<Issue>) -> Error {
        let issues = self.shown_issues(issues);
        let message = match issues.as_slice() {
            [one] => format!(
                "settings are invalid: {} ({})",
                one.message,
                if one.path.is_empty() { "document" } else { one.path.as_str() }
            ),
            many => format!("settings are invalid: {} problems", many.len()),
        };
        Error::with_issues(ErrorCode::SettingsValidationFailed, message, issues)
    }

    /// Issues as they leave the library: one inside an `x-sensitive` setting is reported at that
    /// setting (a member name inside it, `/tokens/sk_live_…`, may be the secret itself), and the
    /// issues that then say the same thing at the same place are reported once.
    pub(crate) fn shown_issues(&self, issues: Vec<Issue>) -> Vec<Issue> {
        let mut out: Vec<Issue> = Vec::with_capacity(issues.len());
        for mut issue in issues {
            let shown = self.shown_path(&issue.path);
            if shown.len() < issue.path.len() {
                issue.path.truncate(shown.len());
                if out
                    .iter()
                    .any(|o| o.path == issue.path && o.code == issue.code && o.message == issue.message)
                {
                    continue;
                }
            }
            out.push(issue);
        }
        out
    }
}

fn code_of(kind: &ValidationErrorKind) -> &'static str {
    match kind {
        ValidationErrorKind::Type { .. } => "type",
        ValidationErrorKind::Minimum { .. } => "minimum",
        ValidationErrorKind::Maximum { .. } => "maximum",
        ValidationErrorKind::ExclusiveMinimum { .. } => "exclusive_minimum",
        ValidationErrorKind::ExclusiveMaximum { .. } => "exclusive_maximum",
        ValidationErrorKind::Format { .. } => "format",
        ValidationErrorKind::Required { .. } => "required",
        ValidationErrorKind::Enum { .. } => "enum",
        ValidationErrorKind::Constant { .. } => "const",
        ValidationErrorKind::Pattern { .. } => "pattern",
        ValidationErrorKind::AdditionalProperties { .. } => "additional_property",
        ValidationErrorKind::UnevaluatedProperties { .. } => "additional_property",
        ValidationErrorKind::MinLength { .. } => "min_length",
        ValidationErrorKind::MaxLength { .. } => "max_length",
        ValidationErrorKind::MinItems { .. } => "min_items",
        ValidationErrorKind::MaxItems { .. } => "max_items",
        ValidationErrorKind::UniqueItems => "unique_items",
        ValidationErrorKind::MultipleOf { .. } => "multiple_of",
        ValidationErrorKind::MinProperties { .. } => "min_properties",
        ValidationErrorKind::MaxProperties { .. } => "max_properties",
        ValidationErrorKind::AnyOf { .. } => "any_of",
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::OneOfMultipleValid { .. } => {
            "one_of"
        }
        ValidationErrorKind::Not { .. } => "not",
        ValidationErrorKind::FalseSchema => "false_schema",
        ValidationErrorKind::Contains => "contains",
        ValidationErrorKind::AdditionalItems { .. } | ValidationErrorKind::UnevaluatedItems { .. } => {
            "additional_item"
        }
        ValidationErrorKind::PropertyNames { .. } => "property_names",
        _ => "invalid",
    }
}

impl SettingsSchema {
    /// Checks a document: nothing, or `settings.validation_failed` carrying every problem.
    ///
    /// Depth, string length and size limits are checked first; then the schema (formats
    /// included). Messages never repeat the offending value.
    ///
    /// ```
    /// use serde_json::json;
    /// let schema = tenantry::settings::SettingsSchema::new(&json!({
    ///     "type": "object",
    ///     "properties": {"max_tokens": {"type": "integer", "minimum": 100, "maximum": 2000}},
    ///     "additionalProperties": false
    /// }))?;
    /// let err = schema.validate(&json!({"max_tokens": 5, "extra": 1})).unwrap_err();
    /// assert_eq!(err.code(), "settings.validation_failed");
    /// let codes: Vec<_> = err.issues().iter().map(|i| (i.path.as_str(), i.code.as_str())).collect();
    /// assert!(codes.contains(&("/max_tokens", "minimum")));
    /// assert!(codes.contains(&("/extra", "additional_property")));
    /// # Ok::<(), tenantry::Error>(())
    /// ```
    pub fn validate(&self, doc: &Value) -> Result<()> {
        let mut issues = self.limit_issues(doc, true);
        if issues.is_empty() {
            issues = self.schema_issues(doc);
        }
        if issues.is_empty() { Ok(()) } else { Err(self.failure(issues)) }
    }

    /// Depth and string-length issues, and the size issue when `size` is set (only when the
    /// shape is sound, so hostile nesting never reaches a recursive serializer).
    pub(crate) fn limit_issues(&self, doc: &Value, size: bool) -> Vec<Issue> {
        let mut issues = Vec::new();
        self.limits.check_shape(doc, &mut issues);
        if issues.is_empty() && size {
            issues.extend(self.limits.check_size(doc));
        }
        issues
    }

    /// The schema's verdict on a document whose shape is within limits.
    pub(crate) fn schema_issues(&self, doc: &Value) -> Vec<Issue> {
        if self.validator.is_valid(doc) {
            return Vec::new();
        }
        let mut issues = Vec::new();
        for err in self.validator.iter_errors(doc) {
            let path = err.instance_path().as_str().to_owned();
            match err.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected }
                | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                    for key in unexpected {
                        issues.push(Issue::new(
                            pointer::join(&path, key),
                            "additional_property",
                            "this setting is not defined by the schema",
                        ));
                    }
                }
                // `additionalProperties: false` on an object without `properties` or
                // `patternProperties` comes as one `false` schema error at the object: every
                // member is one, each reported where it is (as with `properties`, and as ajv does).
                ValidationErrorKind::FalseSchema
                    if keyword_at(err.schema_path().as_str()) == Some("additionalProperties")
                        && doc.pointer(&path).is_some_and(Value::is_object) =>
                {
                    let keys =
                        doc.pointer(&path).and_then(Value::as_object).into_iter().flat_map(|m| m.keys());
                    for key in keys {
                        issues.push(Issue::new(
                            pointer::join(&path, key),
                            "additional_property",
                            "this setting is not defined by the schema",
                        ));
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let name = property.as_str().unwrap_or_default();
                    issues.push(Issue::new(
                        pointer::join(&path, name),
                        "required",
                        "this setting is required",
                    ));
                }
                // The crate masks every message but this one's, which names the member: a name
                // inside an `x-sensitive` object (or any name) would be echoed into logs.
                ValidationErrorKind::PropertyNames { error } => issues.push(Issue::new(
                    path,
                    "property_names",
                    format!("a member name is not allowed: {}", error.masked()),
                )),
                kind => issues.push(Issue::new(path, code_of(kind), err.masked().to_string())),
            }
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn issues_inside_a_sensitive_setting_are_reported_at_it_once() {
        // Member names inside a secret may be secrets themselves (tokens keyed by token).
        let schema = crate::settings::SettingsSchema::new(&json!({
            "type": "object",
            "properties": {
                "tokens": {"type": "object", "x-sensitive": true, "additionalProperties": {"type": "integer"}},
                "seats": {"type": "integer"}
            }
        }))
        .unwrap();
        let err = schema
            .validate(&json!({"tokens": {"sk_live_1": "x", "sk_live_2": "y"}, "seats": "z"}))
            .unwrap_err();
        let issues: Vec<_> = err.issues().iter().map(|i| (i.path.as_str(), i.code.as_str())).collect();
        assert_eq!(issues, [("/tokens", "type"), ("/seats", "type")]);
        assert!(!err.message().contains("sk_live"));
        let one = schema.validate(&json!({"tokens": {"sk_live_1": "x"}})).unwrap_err();
        assert_eq!(one.message(), "settings are invalid: value is not of type \"integer\" (/tokens)");
    }

    #[test]
    fn a_property_names_message_never_shows_the_name() {
        // The crate masks every other message; this one named the member, which inside an
        // `x-sensitive` object may be the secret itself.
        let schema = crate::settings::SettingsSchema::new(&json!({
            "type": "object",
            "properties": {"tokens": {"type": "object", "x-sensitive": true, "propertyNames": {"maxLength": 2}}}
        }))
        .unwrap();
        let issues = schema.schema_issues(&json!({"tokens": {"hunter2": 1}}));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].code, "property_names");
        assert_eq!(issues[0].message, "a member name is not allowed: value is longer than 2 characters");
    }
}
