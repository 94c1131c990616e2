//! RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value.
//!
//! Used for settings etags and audit hashes, so the same document hashes the same in every
//! language whatever its key order or number spelling.

use serde_json::Value;

/// Serializes `value` as RFC 8785 canonical JSON.
///
/// Object members are sorted by their UTF-16 code units, numbers use ECMAScript formatting
/// (integers beyond 2^53 lose precision exactly as they would in JavaScript), and strings use the
/// minimal JSON escaping.
///
/// ```
/// let v = serde_json::json!({"b": [1.0, 2.5e-7, "\u{20ac}"], "a": true});
/// assert_eq!(tenantry::canonical_json::to_string(&v), r#"{"a":true,"b":[1,2.5e-7,"€"]}"#);
/// ```
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &serde_json::Number) {
    if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= (1u64 << 53)) {
        out.push_str(&i.to_string());
        return;
    }
    let f = n.as_f64().unwrap_or(0.0);
    let mut buf = ryu_js::Buffer::new();
    out.push_str(buf.format(f));
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{09}' => out.push_str("\\t"),
            '\u{0a}' => out.push_str("\\n"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{0d}' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::to_string;
    use serde_json::json;

    #[test]
    fn rfc8785_number_examples() {
        let cases = [
            (json!(0.0), "0"),
            (json!(-0.0), "0"),
            (json!(1e21), "1e+21"),
            (json!(1e-7), "1e-7"),
            (json!(333_333_333.333_333_3), "333333333.3333333"),
            (json!(9007199254740993u64), "9007199254740992"),
            (json!(-5e-324), "-5e-324"),
        ];
        for (v, want) in cases {
            assert_eq!(to_string(&v), want, "{v}");
        }
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        let v =
            json!({"\u{20ac}": 1, "\r": 2, "\u{1f600}": 3, "\u{fb33}": 4, "1": 5, "\u{80}": 6, "\u{f6}": 7});
        assert_eq!(
            to_string(&v),
            "{\"\\r\":2,\"1\":5,\"\u{80}\":6,\"\u{f6}\":7,\"\u{20ac}\":1,\"\u{1f600}\":3,\"\u{fb33}\":4}"
        );
    }
}
