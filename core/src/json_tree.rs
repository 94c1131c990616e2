//! JSON values as plain trees that borrow their strings ([`Tree`]), for data that is only read.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::{Error, ErrorCode};

/// How deep a caller's JSON data may nest: no value may sit more than this many levels below the
/// top of the data it belongs to (a container at the top is level 0, its members level 1).
///
/// The bindings hold data given as values (Python dicts and lists, JS objects and arrays) to it
/// as they read them, the same way in every language, before any of it reaches the core; a
/// container that contains itself meets it too, and gets the same [`too_deep`] error. JSON text
/// is held by its parser, which refuses more than 127 nested containers (`input.invalid_json`):
/// below that, with room for the few levels a binding wraps around data it sends as text.
///
/// ```
/// use tenantry::json_tree::MAX_DEPTH;
/// // A list nested MAX_DEPTH times holds values at level MAX_DEPTH: the deepest data may go.
/// let mut deepest = serde_json::json!(1);
/// for _ in 0..MAX_DEPTH {
///     deepest = serde_json::json!([deepest]);
/// }
/// assert_eq!(serde_json::to_string(&deepest)?.matches('[').count(), MAX_DEPTH);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub const MAX_DEPTH: usize = 100;

/// Whether two JSON numbers are one number: `1` and `1.0` are (RFC 8785 writes both as `1`, so
/// records and settings documents that differ only so hash alike, and no change is reported).
///
/// ```
/// use serde_json::Number;
/// use tenantry::json_tree::same_number;
/// let (one, one_point_zero) = (Number::from(1), Number::from_f64(1.0).ok_or("not finite")?);
/// assert!(same_number(&one, &one_point_zero));
/// assert!(!same_number(&one, &Number::from_f64(1.5).ok_or("not finite")?));
/// # Ok::<(), &str>(())
/// ```
pub fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    x == y || (x.is_f64() || y.is_f64()) && x.as_f64().is_some() && x.as_f64() == y.as_f64()
}

/// Whether an integer is one JSON data may hold: one RFC 8785 writes back as it is. That is every
/// integer up to 2^53 and, beyond, only the shortest decimal of a double, which is what
/// JavaScript writes (`1152921504606847000` for 2^60; `1152921504606846976` and
/// `1152921504606846977` round to that double too, and are refused).
///
/// JSON numbers are doubles where it counts: RFC 8785 writes them as doubles, so the hash of a
/// record and the etag of a settings document would see `2^60 + 1` as 2^60, and JavaScript reads
/// them as doubles. Holding each double to one spelling, no two integers that differ hash alike,
/// and what one language writes another reads unchanged. The bindings refuse any other
/// ([`inexact_integer`]) where they take JSON data (Python ints, and integers written in JSON
/// text) instead of rounding it unseen.
///
/// ```
/// use tenantry::json_tree::exact_integer;
/// assert!(exact_integer(9_007_199_254_740_992)); // 2^53
/// assert!(!exact_integer(9_007_199_254_740_993)); // 2^53 + 1: a double holds 2^53 instead
/// assert!(exact_integer(1_152_921_504_606_847_000)); // 2^60, as JavaScript writes it
/// assert!(!exact_integer(1 << 60) && !exact_integer((1 << 60) + 1));
/// assert!(!exact_integer(i128::from(u64::MAX)));
/// ```
pub fn exact_integer(n: i128) -> bool {
    const SAFE: u128 = 1 << 53;
    n.unsigned_abs() <= SAFE || ryu_js::Buffer::new().format(n as f64) == n.to_string()
}

/// [`exact_integer`] of an integer as JSON text writes it (`-`, then digits): also for integers
/// past 64 bits, which serde_json reads as doubles without a word (`18446744073709551617` as
/// 2^64). Past `i128` none is exact: JavaScript writes doubles from 10^21 up with an exponent.
///
/// ```
/// use tenantry::json_tree::exact_integer_text;
/// assert!(exact_integer_text("100000000000000000000")); // 1e20, as JavaScript writes it
/// assert!(!exact_integer_text("18446744073709551617"));
/// assert!(!exact_integer_text("1000000000000000000000000000000000000000"));
/// ```
pub fn exact_integer_text(digits: &str) -> bool {
    digits.parse::<i128>().is_ok_and(exact_integer)
}

/// The error for an integer RFC 8785 would write otherwise (see [`exact_integer`]):
/// `input.invalid`, in the one wording every surface gives.
///
/// ```
/// let err = tenantry::json_tree::inexact_integer(9_007_199_254_740_993u64);
/// assert_eq!(err.code(), "input.invalid");
/// assert!(err.message().starts_with("integer 9007199254740993 is not exact as a JSON number"));
/// ```
pub fn inexact_integer(n: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!(
            "integer {n} is not exact as a JSON number: JSON numbers are doubles (RFC 8785 hashes them \
             so, JavaScript reads them so), exact up to 2^53; beyond, write a double as JavaScript does, \
             or send the integer as a string"
        ),
    )
}

/// The error for data nested deeper than [`MAX_DEPTH`], or that contains itself (which is
/// infinitely deep): `input.invalid`, in the one wording every surface gives.
///
/// ```
/// let err = tenantry::json_tree::too_deep();
/// assert_eq!(err.code(), "input.invalid");
/// assert_eq!(err.message(), "value nests deeper than 100 levels, or contains itself (a circular reference)");
/// ```
pub fn too_deep() -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("value nests deeper than {MAX_DEPTH} levels, or contains itself (a circular reference)"),
    )
}

/// A JSON value held as a plain tree: strings borrowed from their source where it holds them
/// unescaped, objects as member lists (nothing hashed, nothing copied that is not needed).
///
/// What the bindings convert a caller's data to (Python objects, JSON text from
/// `JSON.stringify`) when it is only read: diffed, hashed, printed canonically. Object members
/// must be unique (as in a Python dict or a JS object).
///
/// ```
/// use tenantry::canonical_json::tree_to_string;
/// use tenantry::json_tree::Tree;
/// let tree: Tree<'_> = serde_json::from_str(r#"{"b": [1.0, "x"], "a": null}"#).unwrap();
/// assert_eq!(tree_to_string(&tree), r#"{"a":null,"b":[1,"x"]}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string, borrowed when its source holds it unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Tree<'a>>),
    /// An object's members, in any order.
    Object(Vec<(Cow<'a, str>, Tree<'a>)>),
}

impl<'de> serde::Deserialize<'de> for Tree<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

/// Writes the tree as JSON, members in the tree's order (what its [`to_value`](Tree::to_value)
/// would write, without building the `Value`).
///
/// ```
/// let tree: tenantry::json_tree::Tree<'_> = serde_json::from_str(r#"{"b": [1, "x"], "a": null}"#)?;
/// assert_eq!(serde_json::to_string(&tree)?, r#"{"b":[1,"x"],"a":null}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl serde::Serialize for Tree<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Number(n) => n.serialize(s),
            Tree::String(text) => s.serialize_str(text),
            Tree::Array(items) => s.collect_seq(items),
            Tree::Object(members) => s.collect_map(members.iter().map(|(k, v)| (k.as_ref(), v))),
        }
    }
}

struct TreeVisitor;

/// Whether a double read from JSON text may be an integer token past 64 bits, which serde_json
/// reads as a double: whole, and at least 2^63 in magnitude (past `i64`).
pub(crate) fn long_whole(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() >= 9_223_372_036_854_775_808.0
}

thread_local! {
    /// Set when a [`Tree`] being read met a whole double of at least [`LONG`]: an integer token
    /// past 64 bits, or a number written with a fraction or an exponent (which only the text
    /// tells apart). Read by [`parse_text`].
    static LONG_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// JSON text as a [`Tree`], held to what JSON data may hold: serde_json's errors, and the
/// integer rule of [`exact_integer`] for every integer token, those past 64 bits included
/// (which serde_json reads as doubles: their text is looked at when one was met).
///
/// ```
/// use tenantry::json_tree::parse_text;
/// assert!(parse_text(br#"{"n": 100000000000000000000, "f": 1.5e19}"#).is_ok());
/// let err = parse_text(br#"{"n": 18446744073709551617}"#).err().map(|e| e.to_string());
/// assert!(err.is_some_and(|e| e.starts_with("integer 18446744073709551617 is not exact as a JSON number")));
/// ```
pub fn parse_text(text: &[u8]) -> serde_json::Result<Tree<'_>> {
    LONG_SEEN.set(false);
    let tree = serde_json::from_slice(text)?;
    if LONG_SEEN.replace(false)
        && let Some(digits) = crate::json_text::first_inexact_integer(text)
    {
        return Err(serde::de::Error::custom(inexact_integer(digits).message()));
    }
    Ok(tree)
}

/// An integer read from JSON text: refused unless RFC 8785 writes it back (see [`exact_integer`]).
fn exact<E: serde::de::Error>(n: i128) -> Result<(), E> {
    if exact_integer(n) { Ok(()) } else { Err(E::custom(inexact_integer(n).message())) }
}

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tree<'de>, E> {
        exact(v.into()).map(|()| Tree::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tree<'de>, E> {
        exact(v.into()).map(|()| Tree::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
        if long_whole(v) {
            // An integer past 64 bits reads as this too: `parse_text` looks at the text.
            LONG_SEEN.set(true);
        }
        serde_json::Number::from_f64(v)
            .map(Tree::Number)
            .ok_or_else(|| E::custom("NaN and infinity are not JSON numbers"))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(v)))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let mut members = Members::default();
        while let Some(TreeKey(key)) = map.next_key()? {
            let value = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Tree::Object(members.into_vec()))
    }
}

/// An object's members as a reader of JSON text collects them. JSON text may repeat a name: the
/// last value wins, in the first one's place (as in `Value`). Names are found by a scan while there
/// are few, then through an index, so an object of many members cannot make reading it quadratic.
///
/// ```
/// use tenantry::json_tree::{Members, Tree};
/// let mut members = Members::default();
/// members.insert("a".into(), Tree::Null);
/// members.insert("b".into(), Tree::Bool(true));
/// members.insert("a".into(), Tree::Bool(false));
/// assert_eq!(Tree::Object(members.into_vec()), Tree::from(serde_json::json!({"a": false, "b": true})));
/// ```
#[derive(Debug, Default)]
pub struct Members<'a> {
    members: Vec<(Cow<'a, str>, Tree<'a>)>,
    index: Option<std::collections::HashMap<Cow<'a, str>, usize>>,
}

impl<'a> Members<'a> {
    /// Members scanned for a repeated name before an index is built.
    const SCAN: usize = 32;

    /// No members yet, with room for `capacity` of them.
    ///
    /// ```
    /// assert!(tenantry::json_tree::Members::with_capacity(8).into_vec().capacity() >= 8);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Members { members: Vec::with_capacity(capacity), index: None }
    }

    /// Adds a member, or replaces the value of the member of that name.
    ///
    /// ```
    /// let mut members = tenantry::json_tree::Members::default();
    /// members.insert("k".into(), tenantry::json_tree::Tree::Null);
    /// assert_eq!(members.into_vec().len(), 1);
    /// ```
    pub fn insert(&mut self, key: Cow<'a, str>, value: Tree<'a>) {
        let found = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => self.members.iter().position(|(k, _)| *k == key),
        };
        if let Some(slot) = found.and_then(|i| self.members.get_mut(i)) {
            slot.1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.members.len());
        }
        self.members.push((key, value));
        if self.index.is_none() && self.members.len() > Self::SCAN {
            self.index = Some(self.members.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
        }
    }

    /// The members, in the order their names first appeared.
    ///
    /// ```
    /// assert!(tenantry::json_tree::Members::default().into_vec().is_empty());
    /// ```
    pub fn into_vec(self) -> Vec<(Cow<'a, str>, Tree<'a>)> {
        self.members
    }
}

struct TreeKey<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for TreeKey<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TreeKeyVisitor)
    }
}

struct TreeKeyVisitor;

impl<'de> serde::de::Visitor<'de> for TreeKeyVisitor {
    type Value = TreeKey<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<TreeKey<'de>, E> {
        Ok(TreeKey(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<TreeKey<'de>, E> {
        Ok(TreeKey(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<TreeKey<'de>, E> {
        Ok(TreeKey(Cow::Owned(v)))
    }
}

impl<'a> Tree<'a> {
    /// The member `name` of an object (`None` for other values or a missing member).
    ///
    /// ```
    /// use tenantry::json_tree::Tree;
    /// let tree: Tree<'_> = serde_json::from_str(r#"{"a": {"b": 2}}"#).unwrap();
    /// assert_eq!(tree.get("a").and_then(|a| a.get("b")), Some(&Tree::Number(2.into())));
    /// assert!(tree.get("z").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Tree<'a>> {
        match self {
            Tree::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True for an object.
    ///
    /// ```
    /// assert!(tenantry::json_tree::Tree::Object(Vec::new()).is_object());
    /// ```
    pub fn is_object(&self) -> bool {
        matches!(self, Tree::Object(_))
    }

    /// The same value as a `serde_json::Value` (strings copied).
    ///
    /// ```
    /// use tenantry::json_tree::Tree;
    /// let text = r#"{"a": [1, "x", null]}"#;
    /// let tree: Tree<'_> = serde_json::from_str(text).unwrap();
    /// assert_eq!(tree.to_value(), serde_json::from_str::<serde_json::Value>(text).unwrap());
    /// ```
    pub fn to_value(&self) -> Value {
        match self {
            Tree::Null => Value::Null,
            Tree::Bool(b) => Value::Bool(*b),
            Tree::Number(n) => Value::Number(n.clone()),
            Tree::String(s) => Value::String(s.as_ref().to_owned()),
            Tree::Array(items) => Value::Array(items.iter().map(Tree::to_value).collect()),
            Tree::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.as_ref().to_owned(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// Borrows a `Value`'s strings.
///
/// ```
/// use tenantry::json_tree::Tree;
/// let v = serde_json::json!({"a": ["x"]});
/// assert_eq!(Tree::from(&v).to_value(), v);
/// ```
impl<'a> From<&'a Value> for Tree<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::Null => Tree::Null,
            Value::Bool(b) => Tree::Bool(*b),
            Value::Number(n) => Tree::Number(n.clone()),
            Value::String(s) => Tree::String(Cow::Borrowed(s)),
            Value::Array(items) => Tree::Array(items.iter().map(Tree::from).collect()),
            Value::Object(map) => {
                Tree::Object(map.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Tree::from(v))).collect())
            }
        }
    }
}

/// Takes a `Value`'s strings over (no copies).
///
/// ```
/// use tenantry::json_tree::Tree;
/// let v = serde_json::json!({"a": ["x"]});
/// assert_eq!(Tree::from(v.clone()).to_value(), v);
/// ```
impl From<Value> for Tree<'static> {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Tree::Null,
            Value::Bool(b) => Tree::Bool(b),
            Value::Number(n) => Tree::Number(n),
            Value::String(s) => Tree::String(Cow::Owned(s)),
            Value::Array(items) => Tree::Array(items.into_iter().map(Tree::from).collect()),
            Value::Object(map) => {
                Tree::Object(map.into_iter().map(|(k, v)| (Cow::Owned(k), Tree::from(v))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tree;

    #[test]
    fn repeated_names_keep_the_last_value_in_the_first_place_at_any_size() {
        // 100,000 members: a scan per name would take billions of comparisons here.
        for n in [3usize, 40, 2000, 100_000] {
            let mut text = String::from("{");
            for i in 0..n {
                text.push_str(&format!("\"k{i}\":{i},"));
            }
            text.push_str("\"k1\":\"again\",\"k0\":null}");
            let tree: Tree<'_> = serde_json::from_str(&text).unwrap();
            let Tree::Object(members) = &tree else { panic!("not an object") };
            assert_eq!(members.len(), n);
            assert_eq!(members[0], ("k0".into(), Tree::Null));
            assert_eq!(members[1], ("k1".into(), Tree::String("again".into())));
            assert_eq!(tree.to_value(), serde_json::from_str::<serde_json::Value>(&text).unwrap());
        }
    }
}
