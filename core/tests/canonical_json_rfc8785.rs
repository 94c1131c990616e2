//! `tenantry::canonical_json` against the examples printed in RFC 8785 itself.

use serde_json::{Value, json};
use tenantry::canonical_json::to_string;

/// RFC 8785 Appendix B: IEEE 754 bit patterns and their required serialization.
const APPENDIX_B: &[(u64, &str)] = &[
    (0x0000000000000000, "0"),
    (0x8000000000000000, "0"),
    (0x0000000000000001, "5e-324"),
    (0x8000000000000001, "-5e-324"),
    (0x7fefffffffffffff, "1.7976931348623157e+308"),
    (0xffefffffffffffff, "-1.7976931348623157e+308"),
    (0x4340000000000000, "9007199254740992"),
    (0xc340000000000000, "-9007199254740992"),
    (0x4430000000000000, "295147905179352830000"),
    (0x44b52d02c7e14af5, "9.999999999999997e+22"),
    (0x44b52d02c7e14af6, "1e+23"),
    (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
    (0x444b1ae4d6e2ef4e, "999999999999999700000"),
    (0x444b1ae4d6e2ef4f, "999999999999999900000"),
    (0x444b1ae4d6e2ef50, "1e+21"),
    (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
    (0x3eb0c6f7a0b5ed8d, "0.000001"),
    (0x41b3de4355555553, "333333333.3333332"),
    (0x41b3de4355555554, "333333333.33333325"),
    (0x41b3de4355555555, "333333333.3333333"),
    (0x41b3de4355555556, "333333333.3333334"),
    (0x41b3de4355555557, "333333333.33333343"),
    (0xbecbf647612f3696, "-0.0000033333333333333333"),
    (0x43143ff3c1cb0959, "1424953923781206.2"),
];

#[test]
fn appendix_b_numbers() {
    let mut failures = Vec::new();
    for &(bits, want) in APPENDIX_B {
        let f = f64::from_bits(bits);
        let got = to_string(&json!(f));
        if got != want {
            failures.push(format!("{bits:016x}: want {want}, got {got}"));
        }
        // The same number written out as JSON text must parse back to the same bits and print the same.
        let parsed: Value = serde_json::from_str(want).unwrap();
        let reparsed = to_string(&parsed);
        if reparsed != want {
            failures.push(format!("{bits:016x} parsed from text: want {want}, got {reparsed}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn appendix_b_nan_and_infinity_are_not_json() {
    // serde_json cannot hold them, so canonicalization can never be asked to print them.
    assert!(serde_json::Number::from_f64(f64::from_bits(0x7fffffffffffffff)).is_none());
    assert!(serde_json::Number::from_f64(f64::from_bits(0x7ff0000000000000)).is_none());
}

#[test]
fn section_3_2_2_example() {
    // RFC 8785 section 3.2.2: input text (note the number spellings and escapes) and its canonical form.
    let input = r#"{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }"#;
    let value: Value = serde_json::from_str(input).unwrap();
    assert_eq!(
        to_string(&value),
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    );
}

#[test]
fn section_3_2_3_sorting_example() {
    let input = r#"{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }"#;
    let value: Value = serde_json::from_str(input).unwrap();
    let want = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
        \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
        \"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(to_string(&value), want);
}

#[test]
fn strings_escape_only_what_the_rfc_escapes() {
    let s: String = (0u32..0x80).filter_map(char::from_u32).collect();
    let got = to_string(&Value::String(s));
    let mut want = String::from("\"");
    for c in (0u32..0x80).filter_map(char::from_u32) {
        match c {
            '"' => want.push_str("\\\""),
            '\\' => want.push_str("\\\\"),
            '\u{8}' => want.push_str("\\b"),
            '\t' => want.push_str("\\t"),
            '\n' => want.push_str("\\n"),
            '\u{c}' => want.push_str("\\f"),
            '\r' => want.push_str("\\r"),
            c if (c as u32) < 0x20 => want.push_str(&format!("\\u{:04x}", c as u32)),
            c => want.push(c),
        }
    }
    want.push('"');
    assert_eq!(got, want);
}

#[test]
fn object_without_skips_members_and_sorts_the_rest() {
    let v = json!({"z": 1, "hash": "h", "seal": "s", "a": {"y": 2, "b": 1}});
    assert_eq!(
        tenantry::canonical_json::object_without(v.as_object().unwrap(), &["hash", "seal"]),
        r#"{"a":{"b":1,"y":2},"z":1}"#
    );
}

#[test]
fn trees_print_exactly_what_values_print() {
    use tenantry::canonical_json::tree_to_string;
    use tenantry::json_tree::Tree;
    let mut texts: Vec<String> = vec![
        r#"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0.0, 18446744073709552000, -9223372036854776000, 1152921504606847000, 9007199254740992],
            "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
            .to_owned(),
        r#"{"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": {"z": [], "a": {}}}"#
            .to_owned(),
        r#"{"dup": 1, "a": 2, "dup": 3}"#.to_owned(),
        r#"[1, "x", {"b": null, "a\"b": "\n"}]"#.to_owned(),
        "\"plain\"".to_owned(),
    ];
    texts.extend(APPENDIX_B.iter().map(|(bits, _)| {
        serde_json::to_string(&serde_json::Number::from_f64(f64::from_bits(*bits)).unwrap()).unwrap()
    }));
    for text in &texts {
        let value: Value = serde_json::from_str(text).unwrap();
        let tree: Tree<'_> = serde_json::from_str(text).unwrap();
        assert_eq!(tree_to_string(&tree), to_string(&value), "{text}");
    }
}

#[test]
fn trees_refuse_integers_rfc8785_would_write_otherwise() {
    use tenantry::json_tree::Tree;
    // RFC 8785 writes 2^53 + 1 as 2^53: a record holding either would hash alike. Beyond 2^53,
    // each double has one spelling: 2^60 is 1152921504606847000, as JavaScript writes it.
    assert_eq!(to_string(&serde_json::from_str::<Value>("9007199254740993").unwrap()), "9007199254740992");
    assert_eq!(
        to_string(&serde_json::from_str::<Value>("1152921504606846976").unwrap()),
        "1152921504606847000"
    );
    for text in [
        "9007199254740993",
        "[18446744073709551615]",
        r#"{"id": -1152921504606846977}"#,
        "1152921504606846976",
        "-9223372036854775808",
    ] {
        let err = serde_json::from_str::<Tree<'_>>(text).unwrap_err().to_string();
        assert!(
            err.starts_with("integer ") && err.contains("is not exact as a JSON number"),
            "{text}: {err}"
        );
    }
    // What a double holds is read as it is written.
    for text in
        ["9007199254740992", "-9007199254740992", "1152921504606847000", "-9223372036854776000", "1e30"]
    {
        assert!(serde_json::from_str::<Tree<'_>>(text).is_ok(), "{text}");
    }
}
