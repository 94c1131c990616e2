//! Tour: issue an API key, store its record, verify it on the request path, rotate peppers, roll it.
//!
//! Run with `cargo run -p tenantry --example apikeys`.

use tenantry::SecretBytes;
use tenantry::apikeys::{ApiKeys, ApiKeysConfig, KeyOptions, RequiredScopes, VerifyOptions};
use tenantry::webhooks::unix_now;

fn main() -> Result<(), tenantry::Error> {
    let pepper = SecretBytes::new(tenantry::random::bytes::<32>()?.to_vec());
    let keys = ApiKeys::new(ApiKeysConfig::new("tk", [("p1", pepper.clone())]))?;

    // Issue: show the token once, store the record (keyed by key_id).
    let options =
        KeyOptions { scopes: vec!["webhooks:write".into(), "settings:*".into()], ..KeyOptions::default() };
    let issued = keys.generate(&options, unix_now())?;
    println!("apikeys: issued   {} (key id {})", issued.record.masked, issued.record.key_id);

    // Request path: parse offline, look the record up by key id, verify.
    let parsed = keys.parse(issued.token())?;
    let record = Some(&issued.record).filter(|r| r.key_id == parsed.key_id);
    let need =
        VerifyOptions { required_scopes: RequiredScopes::all_of(["settings:read"])?, environment: None };
    let verdict = keys.verify(issued.token(), record, &need, unix_now())?;
    println!("apikeys: verify   -> {} (touch: {})", verdict.code.as_str(), verdict.touch);

    // A typo is caught by the checksum, without a database hit.
    let token = issued.token();
    let typo = format!("{}{}", &token[..token.len() - 1], if token.ends_with('a') { 'b' } else { 'a' });
    println!("apikeys: typo     -> {}", keys.verify(&typo, None, &need, unix_now())?.code.as_str());

    // Missing scope.
    let admin = VerifyOptions { required_scopes: RequiredScopes::all_of(["audit:read"])?, environment: None };
    let denied = keys.verify(issued.token(), record, &admin, unix_now())?;
    println!("apikeys: audit    -> {} missing {:?}", denied.code.as_str(), denied.missing_scopes);

    // Pepper rotation: the verdict carries the new hash to store; no key is re-issued.
    let mut rotated = ApiKeysConfig::new("tk", [("p1", pepper), ("p2", SecretBytes::new(vec![42; 32]))]);
    rotated.current_pepper = Some("p2".into());
    let rotated = ApiKeys::new(rotated)?;
    let verdict = rotated.verify(issued.token(), record, &VerifyOptions::default(), unix_now())?;
    if let Some(rehash) = &verdict.rehash {
        println!("apikeys: rehash   -> store pepper {} hash {}…", rehash.pepper_id, &rehash.hash[..12]);
    }

    // Roll: a new key, and the old one keeps working for an hour.
    let rolled = keys.roll(&issued.record, 3600, unix_now(), None)?;
    println!("apikeys: rolled   {} -> {}", rolled.previous.masked, rolled.issued.record.masked);
    println!("apikeys: scanning pattern {}", keys.secret_scanning_pattern());
    Ok(())
}
