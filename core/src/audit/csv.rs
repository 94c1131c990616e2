//! CSV export (RFC 4180) with a fixed header, every cell guarded against formula injection.

use serde_json::Value;

use crate::{Error, ErrorCode, Result, canonical_json};

/// The CSV columns, in order. Nested values (`changes`, `metadata`) are canonical JSON.
///
/// ```
/// assert_eq!(tenantry::audit::CSV_HEADER[0], "id");
/// assert_eq!(tenantry::audit::CSV_HEADER.len(), 24);
/// ```
pub const CSV_HEADER: [&str; 24] = [
    "id",
    "occurred_at",
    "tenant_id",
    "actor_type",
    "actor_id",
    "actor_email",
    "actor_role",
    "actor_ip",
    "actor_user_agent",
    "action",
    "severity",
    "outcome",
    "reason",
    "target_type",
    "target_id",
    "target_name",
    "changes",
    "request_id",
    "metadata",
    "expires_at",
    "prev_hash",
    "hash",
    "seal_key_id",
    "seal",
];

/// Where each column's value lives in a record.
const COLUMNS: [&[&str]; 24] = [
    &["id"],
    &["occurred_at"],
    &["tenant_id"],
    &["actor", "type"],
    &["actor", "id"],
    &["actor", "email"],
    &["actor", "role"],
    &["actor", "ip"],
    &["actor", "user_agent"],
    &["action"],
    &["severity"],
    &["outcome"],
    &["reason"],
    &["target", "type"],
    &["target", "id"],
    &["target", "name"],
    &["changes"],
    &["request_id"],
    &["metadata"],
    &["expires_at"],
    &["prev_hash"],
    &["hash"],
    &["seal_key_id"],
    &["seal"],
];

/// Records as CSV: the [`CSV_HEADER`] row, then one row per record, CRLF line ends (RFC 4180).
///
/// Absent and `null` values are empty cells; strings are written as they are; other values as
/// canonical JSON. A cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'` so
/// spreadsheets show it as text instead of running it (OWASP CSV injection); cells containing a
/// comma, quote, CR or LF are quoted, with quotes doubled.
///
/// ```
/// let csv = tenantry::audit::to_csv(&[serde_json::json!({"id": "1", "action": "=HYPERLINK(\"x\")"})])?;
/// let row = csv.lines().nth(1).unwrap();
/// assert!(row.starts_with("1,,,,,,,,,\"'=HYPERLINK(\"\"x\"\")\""));
/// # Ok::<(), tenantry::Error>(())
/// ```
pub fn to_csv(records: &[Value]) -> Result<String> {
    let mut out = String::with_capacity(256 * (records.len() + 1));
    write_row(&mut out, CSV_HEADER.iter().map(|h| (*h).to_owned()));
    for (i, record) in records.iter().enumerate() {
        if !record.is_object() {
            return Err(Error::new(
                ErrorCode::AuditInvalidRecord,
                format!("record {i} is not a JSON object"),
            ));
        }
        write_row(&mut out, COLUMNS.iter().map(|path| cell(lookup(record, path))));
    }
    Ok(out)
}

fn lookup<'a>(record: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(record, |v, key| v.get(key))
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => canonical_json::to_string(other),
    }
}

fn write_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, text) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let guarded = matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n'));
        let quoted = text.contains([',', '"', '\r', '\n']);
        if quoted {
            out.push('"');
        }
        if guarded {
            out.push('\'');
        }
        if quoted {
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push_str("\r\n");
}
