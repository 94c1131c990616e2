//! Tour: receive (and emit) Stripe, GitHub and Slack webhooks.
//!
//! Run with `cargo run -p tenantry --example webhook_schemes`.

use tenantry::webhooks::{github, slack, stripe, unix_now};

fn main() -> Result<(), tenantry::Error> {
    let body = br#"{"id":"evt_1","object":"event","type":"invoice.paid"}"#;

    // Stripe: one header, `t=…,v1=…`, keyed by the endpoint secret as shown in the dashboard.
    let header = stripe::sign(body, "whsec_test_secret", unix_now())?;
    stripe::verify(body, &header, "whsec_test_secret", 300, unix_now())?;
    println!("stripe:  verified  {}…", &header[..30]);
    let stale = stripe::verify(body, &header, "whsec_test_secret", 300, unix_now() + 600).unwrap_err();
    println!("stripe:  replayed ten minutes later -> {}", stale.code());

    // GitHub: X-Hub-Signature-256, with the old secret still accepted during a rotation.
    let signature = github::sign(b"Hello, World!", "It's a Secret to Everybody")?;
    github::verify(b"Hello, World!", &signature, &["new secret", "It's a Secret to Everybody"])?;
    println!("github:  {signature}");

    // Slack: the timestamp travels in its own header.
    let ts = unix_now();
    let signature = slack::sign(b"token=abc&command=%2Fdeploy", "signing-secret", ts)?;
    slack::verify(b"token=abc&command=%2Fdeploy", &ts.to_string(), &signature, "signing-secret", 300, ts)?;
    let missing = slack::verify(b"token=abc", "", &signature, "signing-secret", 300, ts).unwrap_err();
    println!("slack:   verified; without the timestamp header -> {}", missing.code());
    Ok(())
}
