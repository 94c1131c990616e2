//! The one walk over a schema that finds its settings: every declared property with its
//! annotations ([`FieldInfo`]), after checking that tenantry's `x-*` annotations are spelt right
//! everywhere in the schema and appear only where they are honoured.
//!
//! Annotations are honoured on the schema of a property (a member of `properties`, on the path
//! of `properties` from the root), on that schema directly or on what its local `$ref`s point
//! at. Anywhere else (the root, `items`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
//! `patternProperties`, `additionalProperties`, `prefixItems`, `dependentSchemas`, ..., or a
//! definition reached from there through `$ref`) they would be ignored, so a secret would be
//! shown and logged unmasked: the schema is refused instead. SettingsSchema and audit masking
//! both read schemas through here, so they accept and honour the same annotations.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::annotations::{ANNOTATIONS, FieldInfo, Inherited, Visibility, annotate, meant_annotation};
use super::defaults::{MAX_DEFAULT_VISITS, MAX_SETTINGS, materialise, properties, too_many_settings};
use super::pointer;
use crate::{Error, ErrorCode, Issue, Result};

/// How deep `properties` may nest (a `$ref` cycle through `properties` reaches it).
const MAX_PROPERTY_DEPTH: usize = 64;
/// How deep the check may follow subschemas and `$ref`s.
const MAX_SCHEMA_DEPTH: usize = 256;
/// How many `$ref`s a chain may follow (as [`deref`](super::defaults::deref) does).
const MAX_REF_HOPS: usize = 16;

/// Keywords whose value is one subschema.
const ONE_SCHEMA: [&str; 12] = [
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "additionalItems",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
];
/// Keywords whose value is an array of subschemas (`items` too, in drafts before 2020-12).
const SCHEMA_LISTS: [&str; 5] = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value is an object of subschemas.
const SCHEMA_MAPS: [&str; 6] =
    ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "dependencies"];

/// The keyword a schema location (a JSON Pointer into a schema) ends at, or `None` when it ends
/// at something else: a member of `properties` or `$defs` (whatever its name, even
/// `"additionalProperties"`), an index of `allOf`, or the root.
pub(crate) fn keyword_at(location: &str) -> Option<&str> {
    let mut segments = location.split('/').skip(1).peekable();
    let mut at_keyword = None;
    while let Some(segment) = segments.next() {
        at_keyword = Some(segment);
        let numbered = segments.peek().is_some_and(|next| next.parse::<usize>().is_ok());
        if SCHEMA_MAPS.contains(&segment) || (SCHEMA_LISTS.contains(&segment) && numbered) {
            // The next segment names a member (or an index), not a keyword.
            if segments.next().is_some() {
                at_keyword = None;
            }
        }
    }
    at_keyword.filter(|k| !k.contains('~'))
}

/// Every declared property of `root`, parents before children, in schema order; the schema
/// refused (`settings.invalid_schema`, every problem an issue with code `annotation` at its
/// place in the schema) when an annotation is misspelt, has a wrong value or sits where it is
/// not honoured, or when two properties would share a registry key.
///
/// A schema that is not an object (`true`, `false`) declares nothing.
pub(crate) fn fields(root: &Value) -> Result<Vec<FieldInfo>> {
    if !root.is_object() {
        return Ok(Vec::new());
    }
    let mut walk = Fields {
        root,
        fields: Vec::new(),
        schema_paths: Vec::new(),
        honoured: HashSet::new(),
        default_budget: MAX_DEFAULT_VISITS,
    };
    walk.properties_of(root, "", "", "", &Inherited::default(), 0)?;
    let mut check = Placement { root, honoured: &walk.honoured, visited: HashSet::new(), issues: Vec::new() };
    check.visit(root, String::new(), None, 0);
    walk.check_keys(&mut check.issues);
    match check.issues.first() {
        None => Ok(walk.fields),
        Some(first) => {
            let more = match check.issues.len() {
                1 => String::new(),
                n => format!(" (and {} more problems)", n - 1),
            };
            let at = if first.path.is_empty() { "(root)" } else { first.path.as_str() };
            Err(Error::with_issues(
                ErrorCode::SettingsInvalidSchema,
                format!("invalid schema at {at}: {}{more}", first.message),
                check.issues,
            ))
        }
    }
}

/// The error for a schema too deep to walk.
fn too_deep(path: &str, what: &str) -> Error {
    Error::with_issues(
        ErrorCode::SettingsInvalidSchema,
        format!("invalid settings schema at {}: {what}", if path.is_empty() { "(root)" } else { path }),
        vec![Issue::new(path, "schema", what)],
    )
}

/// `node` and what its local `$ref`s point at, in order, each with its JSON Pointer in the
/// schema document (`path` for `node`).
fn ref_chain<'a>(root: &'a Value, node: &'a Value, path: &str) -> Vec<(&'a Value, String)> {
    let mut chain = vec![(node, path.to_owned())];
    let mut current = node;
    for _ in 0..MAX_REF_HOPS {
        let Some(target_path) = current.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        let Some(target) = root.pointer(target_path) else { break };
        chain.push((target, target_path.to_owned()));
        current = target;
    }
    chain
}

/// The walk down `properties` that builds the fields.
struct Fields<'a> {
    root: &'a Value,
    fields: Vec<FieldInfo>,
    /// The schema path of each field's property schema, for messages.
    schema_paths: Vec<String>,
    /// Every schema node whose annotations a field reads.
    honoured: HashSet<*const Value>,
    /// What materialising the fields' defaults may still visit.
    default_budget: usize,
}

impl<'a> Fields<'a> {
    /// The fields declared by `node`'s properties (those of the end of its `$ref` chain, as
    /// defaults and validation plans read them), and theirs, recursively.
    fn properties_of(
        &mut self,
        node: &'a Value,
        schema_path: &str,
        ptr: &str,
        key: &str,
        inherited: &Inherited,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_PROPERTY_DEPTH {
            return Err(too_deep(schema_path, "properties nest deeper than 64 levels (or $ref cycle)"));
        }
        let Some(props) = properties(self.root, node) else { return Ok(()) };
        let holder_path = ref_chain(self.root, node, schema_path).pop().map(|(_, p)| p).unwrap_or_default();
        for (name, sub) in props {
            let sub_path = pointer::join(&format!("{holder_path}/properties"), name);
            if self.fields.len() >= MAX_SETTINGS {
                return Err(too_many_settings(&sub_path));
            }
            let chain = ref_chain(self.root, sub, &sub_path);
            // The end of the chain first, so what the property's own schema says wins (x-category).
            let mut info = inherited.clone();
            for (node, path) in chain.iter().rev() {
                info = annotate(node, &info, path)?;
                self.honoured.insert(std::ptr::from_ref(*node));
            }
            let field_ptr = pointer::join(ptr, name);
            let field_key = if key.is_empty() { name.clone() } else { format!("{key}.{name}") };
            let description = chain
                .iter()
                .find_map(|(n, _)| n.get("description").or_else(|| n.get("title")).and_then(Value::as_str))
                .map(str::to_owned);
            self.fields.push(FieldInfo {
                pointer: field_ptr.clone(),
                key: field_key.clone(),
                visibility: info.visibility.unwrap_or(Visibility::Member),
                editable: info.editable,
                editable_by: info.editable_by,
                sensitive: info.sensitive,
                category: info.category.clone(),
                description,
                default: materialise(self.root, sub, 1, &mut self.default_budget)?,
                leaf: properties(self.root, sub).is_none(),
            });
            self.schema_paths.push(sub_path.clone());
            self.properties_of(sub, &sub_path, &field_ptr, &field_key, &info, depth + 1)?;
        }
        Ok(())
    }

    /// Two properties with one registry key (`"a.b"` beside `a` → `b`) would make `get` and
    /// `set` reach only one of them: an issue at the second, naming both.
    fn check_keys(&self, issues: &mut Vec<Issue>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, field) in self.fields.iter().enumerate() {
            match seen.get(field.key.as_str()).and_then(|&j| self.fields.get(j).zip(self.schema_paths.get(j)))
            {
                Some((first, first_path)) => {
                    let path = self.schema_paths.get(i).cloned().unwrap_or_default();
                    issues.push(Issue::new(
                        path,
                        "annotation",
                        format!(
                            "the settings at {:?} (schema {first_path}) and {:?} both have the registry \
                             key {:?}, which joins property names with dots: rename one of them",
                            first.pointer, field.pointer, field.key
                        ),
                    ));
                }
                None => {
                    seen.insert(&field.key, i);
                }
            }
        }
    }
}

/// The walk over every subschema that checks where annotations are and how they are spelt.
struct Placement<'a, 'h> {
    root: &'a Value,
    honoured: &'h HashSet<*const Value>,
    /// Nodes already checked, and whether they were reached through a foreign `$ref`.
    visited: HashSet<(*const Value, bool)>,
    issues: Vec<Issue>,
}

impl<'a> Placement<'a, '_> {
    /// Adds an issue, once per place (a node can be reached two ways).
    fn report(&mut self, issue: Issue) {
        if !self.issues.iter().any(|i| i.path == issue.path) {
            self.issues.push(issue);
        }
    }

    /// Checks `node` (at `path`) and every subschema below it. `foreign` is the `$ref` through
    /// which a place that honours no annotation reached it (so none of it is honoured there).
    fn visit(&mut self, node: &'a Value, path: String, foreign: Option<&str>, depth: usize) {
        let Some(obj) = node.as_object() else { return };
        if !self.visited.insert((std::ptr::from_ref(node), foreign.is_some())) {
            return;
        }
        if depth > MAX_SCHEMA_DEPTH {
            self.issues.push(Issue::new(path, "schema", "the schema nests deeper than 256 levels"));
            return;
        }
        let honoured = foreign.is_none() && self.honoured.contains(&std::ptr::from_ref(node));
        for keyword in obj.keys() {
            if let Some(meant) = meant_annotation(keyword) {
                self.report(Issue::new(
                    pointer::join(&path, keyword),
                    "annotation",
                    format!("unknown annotation {keyword:?}: did you mean {meant:?}?"),
                ));
            } else if ANNOTATIONS.contains(&keyword.as_str()) && !honoured {
                let through = foreign
                    .map(|r| {
                        format!(" (this schema is used through the $ref at {r}, which is no such place)")
                    })
                    .unwrap_or_default();
                self.report(Issue::new(
                    pointer::join(&path, keyword),
                    "annotation",
                    format!(
                        "{keyword} is not honoured here: tenantry's annotations apply only to the schema of \
                         a property (a member of `properties`, directly or through a local $ref), not at \
                         the root or under items, prefixItems, allOf, anyOf, oneOf, not, if/then/else, \
                         patternProperties, additionalProperties, dependentSchemas or other keywords; put \
                         it on the property itself{through}"
                    ),
                ));
            }
        }
        // What a `$ref` points at is used here: where this place honours annotations (a
        // property, or the root, whose target declares the properties), so does the target.
        if let Some((target, target_path)) = ref_chain(self.root, node, &path).into_iter().nth(1) {
            let here = pointer::join(&path, "$ref");
            let is_root = std::ptr::eq(node, self.root);
            let through = match foreign {
                Some(r) => Some(r),
                None if honoured || is_root => None,
                None => Some(here.as_str()),
            };
            self.visit(target, target_path, through, depth + 1);
        }
        for (keyword, value) in obj {
            let at = pointer::join(&path, keyword);
            match value {
                Value::Object(_) if ONE_SCHEMA.contains(&keyword.as_str()) => {
                    self.visit(value, at, foreign, depth + 1);
                }
                Value::Array(items) if SCHEMA_LISTS.contains(&keyword.as_str()) => {
                    for (i, item) in items.iter().enumerate() {
                        self.visit(item, pointer::join(&at, &i.to_string()), foreign, depth + 1);
                    }
                }
                Value::Object(members) if SCHEMA_MAPS.contains(&keyword.as_str()) => {
                    for (name, member) in members {
                        self.visit(member, pointer::join(&at, name), foreign, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::fields;

    fn refused(schema: serde_json::Value) -> Vec<String> {
        match fields(&schema) {
            Ok(_) => panic!("accepted: {schema}"),
            Err(e) => {
                assert_eq!(e.code(), "settings.invalid_schema");
                e.issues().iter().map(|i| i.path.clone()).collect()
            }
        }
    }

    #[test]
    fn annotations_outside_properties_are_refused_wherever_they_are() {
        let secret = json!({"type": "string", "x-sensitive": true});
        for (keyword, holder, at) in [
            ("items", json!({"type": "array", "items": secret}), "/properties/p/items/x-sensitive"),
            ("prefixItems", json!({"prefixItems": [secret]}), "/properties/p/prefixItems/0/x-sensitive"),
            ("allOf", json!({"allOf": [secret]}), "/properties/p/allOf/0/x-sensitive"),
            ("anyOf", json!({"anyOf": [secret, {"type": "integer"}]}), "/properties/p/anyOf/0/x-sensitive"),
            ("oneOf", json!({"oneOf": [secret]}), "/properties/p/oneOf/0/x-sensitive"),
            ("not", json!({"not": secret}), "/properties/p/not/x-sensitive"),
            ("then", json!({"if": {}, "then": secret}), "/properties/p/then/x-sensitive"),
            ("else", json!({"if": {}, "else": secret}), "/properties/p/else/x-sensitive"),
            (
                "patternProperties",
                json!({"patternProperties": {"^k": secret}}),
                "/properties/p/patternProperties/^k/x-sensitive",
            ),
            (
                "additionalProperties",
                json!({"additionalProperties": secret}),
                "/properties/p/additionalProperties/x-sensitive",
            ),
            (
                "dependentSchemas",
                json!({"dependentSchemas": {"a": secret}}),
                "/properties/p/dependentSchemas/a/x-sensitive",
            ),
            (
                "items.properties",
                json!({"items": {"properties": {"k": secret}}}),
                "/properties/p/items/properties/k/x-sensitive",
            ),
        ] {
            let schema = json!({"type": "object", "properties": {"p": holder}});
            assert_eq!(refused(schema), [at], "{keyword}");
        }
        for annotation in [
            json!({"x-editable": false}),
            json!({"x-visibility": "admin"}),
            json!({"x-editable-by": "admin"}),
            json!({"x-category": "c"}),
        ] {
            let schema = json!({"type": "object", "properties": {"p": {"items": annotation}}});
            assert_eq!(refused(schema).len(), 1, "{annotation}");
        }
        assert_eq!(refused(json!({"type": "object", "x-sensitive": true})), ["/x-sensitive"]);
    }

    #[test]
    fn a_definition_used_where_annotations_are_not_honoured_is_refused() {
        // Honoured through one property, ignored through `items`: refused, at the definition.
        let schema = json!({
            "$defs": {"secret": {"type": "string", "x-sensitive": true}},
            "properties": {"a": {"$ref": "#/$defs/secret"}, "list": {"items": {"$ref": "#/$defs/secret"}}}
        });
        assert_eq!(refused(schema), ["/$defs/secret/x-sensitive"]);
        // Nested inside the definition, and behind a chain of $refs.
        let schema = json!({
            "$defs": {"smtp": {"properties": {"password": {"$ref": "#/$defs/pw"}}}, "pw": {"$ref": "#/$defs/s"}, "s": {"x-sensitive": true}},
            "properties": {"servers": {"items": {"$ref": "#/$defs/smtp"}}}
        });
        assert_eq!(refused(schema), ["/$defs/s/x-sensitive"]);
        // A definition nothing uses as a property is not honoured either.
        assert_eq!(refused(json!({"$defs": {"s": {"x-sensitive": true}}})), ["/$defs/s/x-sensitive"]);
    }

    #[test]
    fn properties_directly_or_through_refs_are_honoured() {
        let schema = json!({
            "$ref": "#/$defs/root",
            "$defs": {
                "root": {"properties": {"smtp": {"$ref": "#/$defs/smtp"}, "plain": {"type": "string"}}},
                "smtp": {"x-category": "email", "properties": {"password": {"$ref": "#/$defs/pw"}}},
                "pw": {"$ref": "#/$defs/secret", "x-editable-by": "admin"},
                "secret": {"type": "string", "x-sensitive": true}
            }
        });
        let fields = fields(&schema).unwrap();
        let password = fields.iter().find(|f| f.pointer == "/smtp/password").unwrap();
        assert!(password.sensitive, "every link of the $ref chain is read");
        assert_eq!(password.editable_by, crate::settings::Role::Admin);
        assert_eq!(password.category.as_deref(), Some("email"));
        assert!(!fields.iter().find(|f| f.pointer == "/plain").unwrap().sensitive);
    }

    #[test]
    fn misspelt_annotations_are_refused_anywhere_but_property_names_are_not_keywords() {
        for (schema, at) in [
            (json!({"properties": {"p": {"items": {"x-sensitve": true}}}}), "/properties/p/items/x-sensitve"),
            (json!({"properties": {"p": {"xsensitive": true}}}), "/properties/p/xsensitive"),
            (json!({"properties": {"p": {"x\u{2010}sensitive": true}}}), "/properties/p/x\u{2010}sensitive"),
            (json!({"X-Sensitive": true}), "/X-Sensitive"),
            (json!({"$defs": {"d": {"allOf": [{"x_editable": false}]}}}), "/$defs/d/allOf/0/x_editable"),
        ] {
            assert_eq!(refused(schema), [at]);
        }
        let names = json!({"properties": {"x-sensitve": {"type": "string"}, "sensitive": {"default": {"x-sensitve": 1}}}});
        assert_eq!(fields(&names).unwrap().len(), 2);
    }

    #[test]
    fn keyword_at_tells_keywords_from_names() {
        use super::keyword_at;
        for (location, keyword) in [
            ("/additionalProperties", Some("additionalProperties")),
            ("/properties/a/additionalProperties", Some("additionalProperties")),
            ("/properties/additionalProperties", None),
            ("/properties/properties/additionalProperties", Some("additionalProperties")),
            ("/properties/additionalProperties/additionalProperties", Some("additionalProperties")),
            ("/$defs/x/items/0/additionalProperties", Some("additionalProperties")),
            ("/allOf/0", None),
            ("/items/additionalProperties", Some("additionalProperties")),
            ("", None),
        ] {
            assert_eq!(keyword_at(location), keyword, "{location}");
        }
    }

    #[test]
    fn one_registry_key_for_two_properties_is_refused() {
        let schema = json!({"properties": {"a.b": {"type": "string"}, "a": {"properties": {"b": {"type": "string"}}}}});
        let err = fields(&schema).unwrap_err();
        assert_eq!(err.issues()[0].path, "/properties/a/properties/b");
        assert!(
            err.message().contains("\"/a.b\"") && err.message().contains("\"/a/b\""),
            "{}",
            err.message()
        );
        // Alone, a dotted name is a key of its own.
        let fields = fields(&json!({"properties": {"a.b": {"type": "string"}}})).unwrap();
        assert_eq!(fields[0].key, "a.b");
    }
}
