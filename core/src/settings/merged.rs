//! The effective document of a layered resolution as a view over the defaults and the layers,
//! so resolving neither clones the default document nor builds a merged tree it would only
//! serialize: the view is written as JSON text directly (whole, or as the leaves of the
//! defaults' shape), and copied into a `Value` only when one is wanted.
//!
//! The view follows [`deep_merge`](super::merge::deep_merge) exactly: at every object, the
//! sources holding a key are taken in order; a non-object replaces whatever came before it, an
//! object replaces a non-object and merges into an object. Keys keep the order of their first
//! appearance, as inserting into the merged map would.

use serde_json::{Map, Value};

use super::merge::deep_merge;

/// Maps up to this size are searched by comparing keys, which beats hashing them.
const LINEAR: usize = 8;

/// The member `key` of `map`.
pub(crate) fn member<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() <= LINEAR {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// What a key of a merged object resolves to.
pub(crate) enum Child<'a> {
    /// No source holds the key.
    Absent,
    /// A non-object value (the last one given).
    Leaf(&'a Value),
    /// An object merged from the sources pushed from this index of the source stack to its end.
    Object(usize),
}

/// The object sources of the nodes being walked, as one stack: an object node's sources are a
/// range of it, and a child's are pushed above its parent's (and popped when it is done).
pub(crate) struct Sources<'a> {
    stack: Vec<&'a Map<String, Value>>,
}

impl<'a> Sources<'a> {
    /// The root of a resolution: the default document, then each layer, in order.
    pub(crate) fn new(
        defaults: &'a Map<String, Value>,
        layers: impl Iterator<Item = &'a Map<String, Value>>,
    ) -> Self {
        let mut stack = Vec::with_capacity(16);
        stack.push(defaults);
        stack.extend(layers);
        Sources { stack }
    }

    /// The top of the stack (where the next child's sources start).
    pub(crate) fn top(&self) -> usize {
        self.stack.len()
    }

    /// Pops the sources above `top`.
    pub(crate) fn pop_to(&mut self, top: usize) {
        self.stack.truncate(top);
    }

    /// The source at `i`.
    pub(crate) fn at(&self, i: usize) -> Option<&'a Map<String, Value>> {
        self.stack.get(i).copied()
    }

    /// The merged value of `key` in the object whose sources end at `end` (the top), given that
    /// the first of them holding it is `from`, with `value`: pushes the child's object sources,
    /// if it is an object.
    pub(crate) fn child_from(&mut self, from: usize, end: usize, key: &str, value: &'a Value) -> Child<'a> {
        let first = self.stack.len();
        let mut leaf = self.take(value, first);
        for i in from + 1..end {
            if let Some(v) = self.at(i).and_then(|src| member(src, key)) {
                leaf = self.take(v, first);
            }
        }
        match leaf {
            Some(v) => Child::Leaf(v),
            None if self.stack.len() > first => Child::Object(first),
            None => Child::Absent,
        }
    }

    /// One source's value of a key: an object is merged (onto the objects since the last
    /// non-object), a non-object replaces everything before it. Returns the leaf, if it is one.
    fn take(&mut self, value: &'a Value, first: usize) -> Option<&'a Value> {
        match value {
            Value::Object(map) => {
                self.stack.push(map);
                None
            }
            other => {
                self.stack.truncate(first);
                Some(other)
            }
        }
    }

    /// Whether source `i` is the first of `start..i` holding `key`.
    pub(crate) fn first_holder(&self, start: usize, i: usize, key: &str) -> bool {
        (start..i).all(|j| self.at(j).and_then(|src| member(src, key)).is_none())
    }

    /// Calls `f(key, child)` for every key of the object whose sources are `start..end`, in
    /// order of first appearance; each child's sources are popped after `f` returns. Stops at
    /// the first `Err`.
    pub(crate) fn each_member<E>(
        &mut self,
        start: usize,
        end: usize,
        mut f: impl FnMut(&mut Self, &'a str, Child<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        for i in start..end {
            let Some(src) = self.at(i) else { break };
            for (key, value) in src {
                if i > start && !self.first_holder(start, i, key) {
                    continue;
                }
                let child = self.child_from(i, end, key, value);
                let result = f(self, key, child);
                self.pop_to(end);
                result?;
            }
        }
        Ok(())
    }

    /// The merged object whose sources are `start..` (to the top), as a `Value`: a copy of the
    /// first source with the others deep-merged into it (copying a map whole is much cheaper
    /// than building it key by key).
    pub(crate) fn merged_value(&self, start: usize) -> Value {
        let mut map = self.at(start).cloned().unwrap_or_default();
        for i in start + 1..self.top() {
            if let Some(layer) = self.at(i) {
                deep_merge(&mut map, layer);
            }
        }
        Value::Object(map)
    }

    /// Writes the merged object whose sources are `start..` (to the top) as compact JSON text,
    /// byte for byte what `serde_json::to_string` gives for [`Sources::merged_value`].
    pub(crate) fn write_json(&mut self, start: usize, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let end = self.top();
        out.push(b'{');
        let mut first = true;
        self.each_member(start, end, |s, key, child| {
            if matches!(child, Child::Absent) {
                return Ok(());
            }
            if !first {
                out.push(b',');
            }
            first = false;
            serde_json::to_writer(&mut *out, key)?;
            out.push(b':');
            match child {
                Child::Absent => Ok(()),
                Child::Leaf(v) => serde_json::to_writer(&mut *out, v),
                Child::Object(at) => s.write_json(at, out),
            }
        })?;
        out.push(b'}');
        Ok(())
    }
}

/// The default document written as leaves (see [`Sources::write_leaves`]), once per schema, so
/// what no layer touches is copied rather than serialized again: a node's comma-separated leaves,
/// and the same for each of its members, in order.
#[derive(Debug, Default)]
pub(crate) struct DefaultLeaves {
    text: Vec<u8>,
    members: Vec<DefaultLeaves>,
}

impl DefaultLeaves {
    /// The leaves of the default document (an object, even an empty one, is never a leaf there).
    pub(crate) fn of_document(map: &Map<String, Value>) -> serde_json::Result<Self> {
        let members = map.values().map(DefaultLeaves::of).collect::<serde_json::Result<Vec<_>>>()?;
        let text = members.iter().map(|m| m.text.as_slice()).collect::<Vec<_>>().join(&b","[..]);
        Ok(DefaultLeaves { text, members })
    }

    /// The leaves of a value in the default document.
    fn of(value: &Value) -> serde_json::Result<Self> {
        match value {
            Value::Object(map) if !map.is_empty() => DefaultLeaves::of_document(map),
            leaf => Ok(DefaultLeaves { text: serde_json::to_vec(leaf)?, members: Vec::new() }),
        }
    }

    fn append_to(&self, out: &mut Vec<u8>) {
        if !self.text.is_empty() {
            leaf_separator(out);
            out.extend_from_slice(&self.text);
        }
    }
}

/// The comma before a leaf (none before the first: `out` then holds the opening `[` alone).
fn leaf_separator(out: &mut Vec<u8>) {
    if out.len() > 1 {
        out.push(b',');
    }
}

impl<'a> Sources<'a> {
    /// Writes, comma-separated, the leaves of the merged object whose sources start at `start`
    /// with `defaults` (its default object, which must be that first source, and whose leaves are
    /// `cache`): the values at the positions that are not non-empty objects in the defaults, in
    /// order. `out` holds the opening `[` and nothing else when the walk starts. `Ok(false)`
    /// (with `out` partly written) when the merged object does not have the defaults' shape: a
    /// layer added a key, or replaced a non-empty default object.
    pub(crate) fn write_leaves(
        &mut self,
        start: usize,
        defaults: &'a Map<String, Value>,
        cache: &DefaultLeaves,
        out: &mut Vec<u8>,
    ) -> serde_json::Result<bool> {
        let end = self.top();
        if cache.members.len() != defaults.len() {
            return Ok(false);
        }
        if end == start + 1 {
            // No layer reaches this object: its leaves are the defaults'.
            cache.append_to(out);
            return Ok(true);
        }
        for i in start + 1..end {
            if self.at(i).is_none_or(|layer| layer.keys().any(|k| member(defaults, k).is_none())) {
                return Ok(false);
            }
        }
        for ((key, default), cached) in defaults.iter().zip(&cache.members) {
            let child = self.child_from(start, end, key, default);
            let fits = match (default, child) {
                (Value::Object(d), Child::Object(at)) if !d.is_empty() => {
                    self.at(at).is_some_and(|first| std::ptr::eq(first, d))
                        && self.write_leaves(at, d, cached, out)?
                }
                (Value::Object(d), _) if !d.is_empty() => false,
                (_, Child::Absent) => false,
                (_, Child::Leaf(v)) => {
                    if std::ptr::eq(v, default) {
                        cached.append_to(out);
                    } else {
                        leaf_separator(out);
                        serde_json::to_writer(&mut *out, v)?;
                    }
                    true
                }
                (_, Child::Object(at)) => {
                    if self.top() == at + 1
                        && self
                            .at(at)
                            .is_some_and(|first| default.as_object().is_some_and(|d| std::ptr::eq(first, d)))
                    {
                        cached.append_to(out);
                    } else {
                        leaf_separator(out);
                        self.write_json(at, out)?;
                    }
                    true
                }
            };
            self.pop_to(end);
            if !fits {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use super::Sources;
    use crate::settings::merge::deep_merge;

    /// The view written as JSON text (and parsed back).
    fn merged(defaults: &Value, layers: &[Value]) -> (Value, String) {
        let (Value::Object(d), true) = (defaults, layers.iter().all(Value::is_object)) else {
            panic!("objects")
        };
        let mut sources = Sources::new(d, layers.iter().filter_map(Value::as_object));
        let mut out = Vec::new();
        sources.write_json(0, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        (serde_json::from_str(&text).unwrap(), text)
    }

    fn reference(defaults: &Value, layers: &[Value]) -> Value {
        let mut base: Map<String, Value> = defaults.as_object().unwrap().clone();
        for layer in layers {
            deep_merge(&mut base, layer.as_object().unwrap());
        }
        Value::Object(base)
    }

    #[test]
    fn follows_deep_merge() {
        let defaults = json!({"a": {"x": 1, "y": {"z": 2}}, "b": 5, "c": {}, "d": {"k": 1}});
        let layers = [
            json!({"a": {"y": 3, "n": null}, "c": {"q": [1, 2]}, "d": 7, "new": {"p": 1}}),
            json!({"a": {"y": {"w": true}}, "d": {"m": 2}, "b": {"o": 1}}),
            json!({"new": {"p": {"deep": 1}, "r": "s"}, "b": null}),
        ];
        let (value, text) = merged(&defaults, &layers);
        let expected = reference(&defaults, &layers);
        assert_eq!(value, expected);
        assert_eq!(serde_json::to_string(&value).unwrap(), serde_json::to_string(&expected).unwrap());
        assert_eq!(text, serde_json::to_string(&expected).unwrap());
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..3).prop_map(|n| json!(n)),
            "[a-c\"\\\\]{0,2}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec(("[a-e]", inner), 0..4)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    fn json_object() -> impl Strategy<Value = Value> {
        prop::collection::vec(("[a-e]", json_value()), 0..5)
            .prop_map(|m| Value::Object(m.into_iter().collect()))
    }

    proptest! {
        #[test]
        fn equals_the_materialised_merge(defaults in json_object(), layers in prop::collection::vec(json_object(), 0..4)) {
            let (value, text) = merged(&defaults, &layers);
            let expected = reference(&defaults, &layers);
            prop_assert_eq!(&value, &expected);
            // Key order too (Value equality ignores it).
            prop_assert_eq!(text, serde_json::to_string(&expected).unwrap());
        }
    }
}
