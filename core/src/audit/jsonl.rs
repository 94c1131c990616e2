//! JSON Lines export: one record per line, as RFC 8785 canonical JSON.

use serde_json::Value;

use crate::{Error, ErrorCode, Result, canonical_json};

/// Records as JSON Lines: each record's canonical JSON followed by `\n` (byte-identical in every
/// language, and the exact bytes its `hash` covers, plus `hash` and `seal`).
///
/// ```
/// let text = tenantry::audit::to_jsonl(&[serde_json::json!({"b": 1, "a": "x"}), serde_json::json!({})])?;
/// assert_eq!(text, "{\"a\":\"x\",\"b\":1}\n{}\n");
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn to_jsonl(records: &[Value]) -> Result<String> {
    let mut out = String::new();
    for (i, record) in records.iter().enumerate() {
        if !record.is_object() {
            return Err(Error::new(
                ErrorCode::AuditInvalidRecord,
                format!("record {i} is not a JSON object"),
            ));
        }
        out.push_str(&canonical_json::to_string(record));
        out.push('\n');
    }
    Ok(out)
}
