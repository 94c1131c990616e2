//! JSON values as plain trees that borrow their strings ([`Tree`]), for data that is only read.

use std::borrow::Cow;

use serde_json::{Map, Value};

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

struct TreeVisitor;

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
    fn visit_i64<E>(self, v: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
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
        let mut members: Vec<(Cow<'de, str>, Tree<'de>)> = Vec::new();
        while let Some(TreeKey(key)) = map.next_key()? {
            let value = map.next_value()?;
            // JSON text may repeat a name: the last one wins, in the first one's place (as in Value).
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(Tree::Object(members))
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
