//! Tour: the sender's side. Build an event, give it an id, pick the subscribed endpoints, sign it,
//! and decide what to do after each delivery attempt.
//!
//! Run with `cargo run -p tenantry --example webhook_delivery`.

use serde_json::json;
use tenantry::webhooks::{
    DeliveryDecision, EventFilter, RetryOptions, RetryPolicy, Webhook, build_event, generate_secret,
    message_id, unix_now, unix_now_millis,
};

fn main() -> Result<(), tenantry::Error> {
    let id = message_id()?;
    let body = build_event("invoice.paid", &json!({"id": "in_1", "amount": 1200}), unix_now_millis())?;
    println!("delivery: {id} {}", String::from_utf8_lossy(&body));

    let endpoints =
        [("billing", EventFilter::new(["invoice.*"])?), ("crm", EventFilter::new(["user.created"])?)];
    for (name, filter) in &endpoints {
        if filter.matches("invoice.paid") {
            let headers = Webhook::new(&generate_secret()?)?.sign(&id, unix_now(), &body)?;
            println!("delivery: -> {name} with {}", headers.signature);
        }
    }

    // The endpoint answers 503 with Retry-After: 120, then times out, then says 410 Gone.
    let policy = RetryPolicy::default();
    let now = unix_now();
    for (attempt, status, retry_after) in [(1, Some(503), Some("120")), (2, None, None), (3, Some(410), None)]
    {
        let decision = policy.decide(attempt, status, retry_after, Some(now), now)?;
        println!(
            "delivery: attempt {attempt} got {status:?} -> {}",
            serde_json::to_string(&decision).unwrap_or_default()
        );
        if let DeliveryDecision::DisableEndpoint { .. } = decision {
            break;
        }
    }

    let backoff =
        RetryPolicy::exponential(10, 2.0, 3600, 10, RetryOptions { jitter: 0.1, ..RetryOptions::default() })?;
    println!("delivery: exponential waits {:?} (±10% jitter)", backoff.delays());
    Ok(())
}
