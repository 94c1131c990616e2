//! API key properties beyond the vectors: random tokens round-trip, junk never panics, and the
//! token never shows up in Debug output or error messages.

use tenantry::SecretBytes;
use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, KeyRecord, VerdictCode, VerifyOptions};

fn keys() -> ApiKeys {
    let mut config = ApiKeysConfig::new("tk", [("p1", SecretBytes::new(vec![9; 32]))]);
    config.environments = Some(vec!["live".into(), "test".into()]);
    ApiKeys::new(config).unwrap()
}

#[test]
fn generated_tokens_parse_and_verify() {
    let keys = keys();
    let options = KeyOptions { scopes: vec!["settings:read".into()], ..KeyOptions::default() };
    for _ in 0..2000 {
        let issued = keys.generate(&options, 1_700_000_000).unwrap();
        let token = issued.token();
        assert_eq!(token.len(), 8 + 47);
        let parsed = keys.parse(token).unwrap();
        assert_eq!(parsed.key_id, issued.record.key_id);
        let verdict =
            keys.verify(token, Some(&issued.record), &VerifyOptions::default(), 1_700_000_001).unwrap();
        assert_eq!(verdict.code, VerdictCode::Valid);
        // The stored record round-trips through JSON.
        let back = KeyRecord::from_json(serde_json::from_str(&issued.record.to_json().to_string()).unwrap());
        assert_eq!(back.unwrap(), issued.record);
    }
}

#[test]
fn every_single_character_change_is_caught_offline() {
    let keys = keys();
    let issued = keys.generate(&KeyOptions::default(), 0).unwrap();
    let token = issued.token();
    let body_start = token.len() - 47;
    for i in body_start..token.len() {
        for c in ['0', 'a', 'Z', 'q'] {
            let mut bytes = token.as_bytes().to_vec();
            if bytes[i] == c as u8 {
                continue;
            }
            bytes[i] = c as u8;
            let typo = String::from_utf8(bytes).unwrap();
            assert_eq!(keys.parse(&typo).unwrap_err().code(), "apikey.bad_checksum", "{typo}");
        }
    }
}

#[test]
fn junk_is_a_verdict_not_a_panic() {
    let keys = keys();
    let issued = keys.generate(&KeyOptions::default(), 0).unwrap();
    let token = issued.token().to_owned();
    let mut junk: Vec<String> = vec![
        String::new(),
        "_".into(),
        "__".into(),
        "tk__".into(),
        "tk_live_".into(),
        "\u{0}".into(),
        "tk_live_\u{1F600}".into(),
        "x".repeat(10 * 1024),
        format!("{token}\n"),
        token.to_uppercase(),
    ];
    for cut in 1..token.len() {
        junk.push(token[..cut].to_owned());
        junk.push(token[cut..].to_owned());
    }
    for input in &junk {
        let verdict = keys.verify(input, Some(&issued.record), &VerifyOptions::default(), 1).unwrap();
        assert!(!verdict.valid, "{input:?}");
        assert!(matches!(verdict.code, VerdictCode::Malformed | VerdictCode::BadChecksum), "{input:?}");
    }
}

#[test]
fn the_token_never_leaks() {
    let keys = keys();
    let issued = keys.generate(&KeyOptions::default(), 0).unwrap();
    let token = issued.token();
    let secret_part = &token[token.len() - 36..token.len() - 6];
    assert!(!format!("{issued:?}").contains(secret_part));
    assert!(!issued.record.to_json().to_string().contains(secret_part));
    assert!(!format!("{keys:?}").contains("9, 9"));
    let typo = format!("{}0", &token[..token.len() - 1]);
    let typo = if typo == token { format!("{}1", &token[..token.len() - 1]) } else { typo };
    let err = keys.parse(&typo).unwrap_err();
    assert!(!err.message().contains(secret_part));
    let err = keys.roll(&issued.record, -5, 0, None).unwrap_err();
    assert!(!err.message().contains(secret_part));
}

#[test]
fn huge_scopes_do_not_bloat_errors() {
    let keys = keys();
    let options = KeyOptions { scopes: vec!["x".repeat(10_000)], ..KeyOptions::default() };
    let err = keys.generate(&options, 0).unwrap_err();
    assert_eq!(err.code(), "apikey.invalid_scope");
    assert!(err.message().len() < 200, "{}", err.message().len());
}
