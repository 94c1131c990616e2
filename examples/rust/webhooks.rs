//! Tour: sign a webhook as a sender, verify it as a receiver, rotate secrets, use ed25519.
//!
//! Run with `cargo run -p tenantry --example webhooks`.

use tenantry::webhooks::{Webhook, generate_keypair, generate_secret, unix_now};

fn main() -> Result<(), tenantry::Error> {
    let payload = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;

    // Sender: sign with the endpoint's secret.
    let secret = generate_secret()?;
    let sender = Webhook::new(&secret)?;
    let headers = sender.sign("msg_2LJ9Y2H0kTQ3Gd", unix_now(), payload)?;
    println!("webhooks: signed   {}", headers.signature);

    // Receiver: verify (headers from the HTTP request, any case).
    let receiver = Webhook::new(&secret)?;
    receiver.verify(payload, headers.pairs(), 300, unix_now())?;
    println!("webhooks: verified message {}", headers.id);

    // A tampered body fails with a stable code.
    let err = receiver.verify(b"{}", headers.pairs(), 300, unix_now()).unwrap_err();
    println!("webhooks: tampered body -> {}", err.code());

    // Rotation: the receiver accepts the old and the new secret during the handover.
    let new_secret = generate_secret()?;
    let rotating = Webhook::with_keys([secret.as_str(), new_secret.as_str()])?;
    rotating.verify(payload, headers.pairs(), 300, unix_now())?;
    println!("webhooks: old secret still verifies during rotation");

    // Asymmetric v1a: sign with the secret key, publish the public key.
    let (signing_key, public_key) = generate_keypair()?;
    let signed = Webhook::new(&signing_key)?.sign("msg_1", unix_now(), payload)?;
    Webhook::new(&public_key)?.verify(payload, signed.pairs(), 300, unix_now())?;
    println!("webhooks: v1a (ed25519) signature verified with {}…", &public_key[..12]);
    Ok(())
}
