//! JSON Pointer (RFC 6901) helpers shared by the settings modules.

use serde_json::Value;

/// `parent` + `/` + the escaped `segment`.
pub(crate) fn join(parent: &str, segment: &str) -> String {
    let mut out = String::with_capacity(parent.len() + segment.len() + 1);
    out.push_str(parent);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `/` + the escaped `segment` to `path` in place (undo with `truncate`).
pub(crate) fn push(path: &mut String, segment: &str) {
    path.push('/');
    if segment.contains(['~', '/']) {
        path.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    } else {
        path.push_str(segment);
    }
}

/// Whether `pointer` is an RFC 6901 JSON Pointer: empty, or `/`-led segments in which `~` only
/// starts the escapes `~0` and `~1`.
pub(crate) fn is_valid(pointer: &str) -> bool {
    (pointer.is_empty() || pointer.starts_with('/'))
        && pointer.split('~').skip(1).all(|rest| rest.starts_with(['0', '1']))
}

/// The unescaped segments of a pointer (`""` has none).
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect()
}

/// Removes the value at `pointer`; returns whether something was removed.
pub(crate) fn remove(doc: &mut Value, pointer: &str) -> bool {
    let segs = segments(pointer);
    let Some((last, parents)) = segs.split_last() else { return false };
    let mut cur = doc;
    for seg in parents {
        match cur {
            Value::Object(map) => match map.get_mut(seg.as_str()) {
                Some(next) => cur = next,
                None => return false,
            },
            Value::Array(items) => match seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(next) => cur = next,
                None => return false,
            },
            _ => return false,
        }
    }
    match cur {
        Value::Object(map) => map.shift_remove(last.as_str()).is_some(),
        Value::Array(items) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Removes empty objects left behind along `pointer` (deepest first), never the root.
pub(crate) fn prune_empty(doc: &mut Value, pointer: &str) {
    let mut segs = segments(pointer);
    while !segs.is_empty() {
        let path = segs.iter().fold(String::new(), |acc, s| join(&acc, s));
        if doc.pointer(&path).is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty())) {
            remove(doc, &path);
        }
        segs.pop();
    }
}
