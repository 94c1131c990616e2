//! The hot path of `audit.build`, `audit.buildSealed` and `audit.seal` of a record object: raw
//! N-API functions for `js/audit.js`. Translation only: the core
//! builds, masks, diffs and seals.
//!
//! Through `#[napi]` functions a build + seal spent most of its time at the boundary: the options
//! read into `serde_json` maps, then the record serialized and `JSON.parse`d (3 µs for a 1 KB
//! record: V8 makes every object of it through its generic JSON machinery). Here:
//!
//! - in: the options cross as ONE `JSON.stringify` text (made in JS), read by
//!   [`json_tree_stringified`] (a reader for that compact text, serde_json for any other) into a
//!   [`Tree`](tenantry::json_tree::Tree) that borrows its strings; `before` / `after` go to the
//!   builder as those trees, without copying. `JSON.stringify` never writes a name twice, so the
//!   reader does not look for repeated names in that text (it does in the caller's own text:
//!   `sealText` of a string, through [`json_tree`]);
//! - the record is built with `build_then`: its changes stay borrowed from those trees, and each
//!   changed value is written from its tree straight into the pieces (no owned `Change`);
//! - out: the record's strings cross as ONE string, cut by the offsets written into a scratch
//!   `Float64Array` (with the enum members as indices, change values that are numbers as numbers,
//!   and composite values as JSON text); `js/audit.js` assembles the plain object with literals.
//!   Layout: see [`write_record`] (read back in the same order by `js/audit.js`).
//!
//! `canonicalText` writes the canonical JSON of a value's `JSON.stringify` text, read the same way.
//!
//! `buildSealed` seals the struct it just built (`AuditRecord::seal_fields`): the record is never
//! read back. When the core links the record to the `previousHash` given (character for
//! character), a flag says so and `js/audit.js` uses the caller's string instead of a piece.
//! `seal` of a record object hashes its `JSON.stringify` text, as any stored record.
//!
//! Measured and not kept (no faster on this path): the options text written by
//! `TextEncoder.encodeInto` into a scratch `Uint8Array` the addon reads (`encodeInto` flattens the
//! string and runs V8's `WriteUtf8` as `napi_get_value_string_utf8` does, plus its result object:
//! 0.07 µs slower); `substring` for `slice` in `js/audit.js`.

use std::borrow::Cow;

use napi::bindgen_prelude::*;
use napi::sys;
use serde_json::Value;
use tenantry::audit as core;
use tenantry::json_tree::Tree;

use crate::convert::{
    Js, Kind, invalid_json, js_text, js_text_ascii, json_text_arg, json_tree, json_tree_stringified,
    raw_callback, raw_functions, type_error, unix_millis, whole,
};
use crate::errors::{IntoJsResult, to_js};

/// Tag of the `SealKey` handles (`SealKey._handle`).
pub static SEAL_KEY_TAG: sys::napi_type_tag =
    sys::napi_type_tag { lower: 0x7465_6e61_6e74_7279, upper: 0x6175_6469_7400_0001 };
/// Slots before the pieces: flags, actor type, severity, outcome, number of changes.
const HEADER: usize = 5;

/// The options `build` reads, found in one pass over the members of their JSON text.
#[derive(Default)]
struct Options<'t, 'a> {
    action: Option<&'t Tree<'a>>,
    actor: Option<&'t Tree<'a>>,
    outcome: Option<&'t Tree<'a>>,
    retention_days: Option<&'t Tree<'a>>,
    max_metadata_bytes: Option<&'t Tree<'a>>,
    tenant_id: Option<&'t Tree<'a>>,
    severity: Option<&'t Tree<'a>>,
    reason: Option<&'t Tree<'a>>,
    target: Option<&'t Tree<'a>>,
    changes: Option<&'t Tree<'a>>,
    sensitive_paths: Option<&'t Tree<'a>>,
    schema: Option<&'t Tree<'a>>,
    request_id: Option<&'t Tree<'a>>,
    metadata: Option<&'t Tree<'a>>,
    id: Option<&'t Tree<'a>>,
    occurred_at: Option<&'t Tree<'a>>,
}

impl<'t, 'a> Options<'t, 'a> {
    /// Sorts the members into their options (other members are ignored).
    fn read(members: &'t [(Cow<'a, str>, Tree<'a>)]) -> Self {
        let mut o = Options::default();
        for (name, value) in members {
            let slot = match name.as_ref() {
                "action" => &mut o.action,
                "actor" => &mut o.actor,
                "outcome" => &mut o.outcome,
                "retentionDays" => &mut o.retention_days,
                "maxMetadataBytes" => &mut o.max_metadata_bytes,
                "tenantId" => &mut o.tenant_id,
                "severity" => &mut o.severity,
                "reason" => &mut o.reason,
                "target" => &mut o.target,
                "changes" => &mut o.changes,
                "sensitivePaths" => &mut o.sensitive_paths,
                "schema" => &mut o.schema,
                "requestId" => &mut o.request_id,
                "metadata" => &mut o.metadata,
                "id" => &mut o.id,
                "occurredAt" => &mut o.occurred_at,
                _ => continue,
            };
            *slot = Some(value);
        }
        o
    }
}

/// A present, non-null option.
fn given<'t, 'a>(value: Option<&'t Tree<'a>>) -> Option<&'t Tree<'a>> {
    value.filter(|v| !matches!(v, Tree::Null))
}

fn string<'t>(value: Option<&'t Tree<'_>>, name: &str) -> Result<Option<&'t str>> {
    match given(value) {
        None => Ok(None),
        Some(Tree::String(s)) => Ok(Some(s)),
        Some(_) => Err(type_error(format!("options.{name} must be a string"))),
    }
}

fn number(value: Option<&Tree<'_>>, name: &str) -> Result<Option<f64>> {
    match given(value) {
        None => Ok(None),
        Some(Tree::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(type_error(format!("options.{name} must be a number"))),
    }
}

/// A JSON option given as data or as JSON text.
fn json(env: &Env, value: Option<&Tree<'_>>) -> Result<Option<Value>> {
    match given(value) {
        Some(Tree::String(text)) => json_text_arg(env, text).map(Some),
        other => Ok(other.map(Tree::to_value)),
    }
}

/// A document option (data or JSON text), as a tree borrowing the options' strings.
fn document<'a>(env: &Env, value: Option<Tree<'a>>) -> Result<Option<Tree<'a>>> {
    match value {
        None | Some(Tree::Null) => Ok(None),
        Some(Tree::String(text)) => Ok(Some(Tree::from(json_text_arg(env, &text)?))),
        Some(doc) => Ok(Some(doc)),
    }
}

/// The error for the NaN or infinite number option of `options`, or its Invalid Date (read from
/// the JS object: its JSON text holds null there, which would mean the default time, a record kept
/// forever, or the default metadata size).
fn bad_number_error(env: &Env, options: Js<'_>) -> napi::Error {
    for name in [c"occurredAt", c"retentionDays", c"maxMetadataBytes"] {
        let value = match options.get(name) {
            Ok(value) => value,
            Err(err) => return err,
        };
        // A number, or a Date's time value.
        let n = match value.try_number() {
            Ok(None) => value.date_millis(),
            read => read,
        };
        let n = match n {
            Ok(Some(n)) if !n.is_finite() => n,
            Ok(_) => continue,
            Err(err) => return err,
        };
        // (A time in the core's words for every time it cannot take, as every other call's.)
        if name == c"occurredAt"
            && let Err(err) = tenantry::time_range::millis_from_secs_f64(n)
        {
            return to_js(env, err);
        }
        // (`whole` refuses every non-finite number.)
        if let Err(err) = whole(env, n, &name.to_string_lossy()) {
            return err;
        }
    }
    type_error("options hold a number that is not finite".into())
}

/// An option that must be an object (given as one, or as JSON text of one), as a tree.
fn object_tree<'t, 'a>(
    env: &Env,
    value: Option<&'t Tree<'a>>,
    name: &str,
) -> Result<Option<Cow<'t, Tree<'a>>>> {
    let tree = match given(value) {
        None => return Ok(None),
        Some(Tree::String(text)) => Cow::Owned(Tree::from(json_text_arg(env, text)?)),
        Some(tree) => Cow::Borrowed(tree),
    };
    if !tree.is_object() {
        return Err(type_error(format!("options.{name} must be an object (or JSON text of one)")));
    }
    Ok(Some(tree))
}

/// The actor option with `userAgent` named `user_agent`, as the core reads it. The member list is
/// edited as a `serde_json` map's `remove` + `insert` would (the last member takes the removed
/// one's place), so a bad actor reports the same first unknown member as it always did.
fn actor_tree<'t, 'a>(env: &Env, value: Option<&'t Tree<'a>>) -> Result<Cow<'t, Tree<'a>>> {
    let tree =
        object_tree(env, value, "actor")?.ok_or_else(|| type_error("options.actor is required".into()))?;
    let renamed = match &*tree {
        Tree::Object(members) => members.iter().position(|(k, _)| k == "userAgent"),
        _ => None,
    };
    let Some(at) = renamed else { return Ok(tree) };
    let Tree::Object(mut members) = tree.into_owned() else {
        return Err(type_error("options.actor must be an object (or JSON text of one)".into()));
    };
    let (_, ua) = members.swap_remove(at);
    if members.iter().any(|(k, _)| k == "user_agent") {
        // Both spellings: one of two user agents would be dropped without a word.
        return Err(type_error("options.actor has both userAgent and user_agent: give one".into()));
    }
    members.push((Cow::Borrowed("user_agent"), ua));
    Ok(Cow::Owned(Tree::Object(members)))
}

/// The scratch slots of `out`.
fn slots<'a>(out: Js<'a>) -> Result<&'a mut [f64]> {
    let slots = out.float64_out("out")?;
    if slots.len() < HEADER {
        return Err(type_error("the result array is too short".into()));
    }
    Ok(slots)
}

/// Builds the record described by `options` (the JS object, for its type) and `text` (its
/// `JSON.stringify`), and hands it to `then` with its changes borrowed from the documents and the
/// slots of `out`; `bad_number` is true when a number option is NaN or infinite (which
/// `JSON.stringify` would turn into null: see [`bad_number_error`]).
fn build_record<R>(
    env: &Env,
    [options, text, bad_number, out, settings]: [Js<'_>; 5],
    then: impl FnOnce(core::AuditRecord<core::Changes<'_>>, &mut [f64]) -> Result<R>,
) -> Result<R> {
    if options.kind()? != Kind::Object {
        return Err(type_error(format!("options must be an object, not {}", options.type_name())));
    }
    if bad_number.is_true() {
        return Err(bad_number_error(env, options));
    }
    let mut buf = [std::mem::MaybeUninit::uninit(); 4096];
    let Some(text) = text.text_in_uninit(&mut buf)? else {
        return Err(type_error("options must be an object".into()));
    };
    let slots = slots(out)?;
    // Text our own `JSON.stringify` wrote: no repeated names to look for.
    let tree = json_tree_stringified(&text).map_err(|e| invalid_json(env, &text, &e))?;
    let Tree::Object(mut members) = tree else {
        return Err(type_error("options must be an object".into()));
    };
    // The documents are moved out (they go to the builder whole); the other options are borrowed.
    let (mut before, mut after) = (None, None);
    for (name, value) in &mut members {
        match name.as_ref() {
            "before" => before = Some(std::mem::replace(value, Tree::Null)),
            "after" => after = Some(std::mem::replace(value, Tree::Null)),
            _ => {}
        }
    }
    let o = Options::read(&members);
    let action =
        string(o.action, "action")?.ok_or_else(|| type_error("options.action is required".into()))?;
    // The time first, as Python reads it with its arguments (and the core checks it first): an
    // input wrong in several ways is the same error in both.
    // A Date arrives as its ISO string (JSON.stringify calls toJSON); a number is Unix seconds.
    let now = match given(o.occurred_at) {
        None => core::unix_now_millis(),
        Some(Tree::Number(n)) => unix_millis(env, &Either::A(n.as_f64().unwrap_or(f64::NAN)))?,
        Some(Tree::String(iso)) => core::parse_timestamp(iso).js(env)?,
        Some(_) => return Err(type_error("options.occurredAt must be Unix seconds or a Date".into())),
    };
    let actor = actor_tree(env, o.actor)?;
    let mut b = core::AuditRecord::builder(action, core::Actor::from_tree(&actor).js(env)?);
    if let Some(outcome) = string(o.outcome, "outcome")? {
        b = b.outcome(core::Outcome::parse(outcome).js(env)?);
    }
    // Absent: the default (90 days); null: keep forever.
    match o.retention_days {
        None => {}
        Some(Tree::Null) => b = b.retention_days(None),
        Some(Tree::Number(n)) => {
            b = b.retention_days(Some(whole(env, n.as_f64().unwrap_or(f64::NAN), "retentionDays")?))
        }
        Some(_) => return Err(type_error("options.retentionDays must be a number of days, or null".into())),
    }
    if let Some(max) = number(o.max_metadata_bytes, "maxMetadataBytes")? {
        let max = whole(env, max, "maxMetadataBytes")?;
        b = b.max_metadata_bytes(tenantry::limits::size_from_i64(max, "maxMetadataBytes").js(env)?);
    }
    if let Some(t) = string(o.tenant_id, "tenantId")? {
        b = b.tenant_id(t);
    }
    if let Some(s) = string(o.severity, "severity")? {
        b = b.severity(core::Severity::parse(s).js(env)?);
    }
    if let Some(r) = string(o.reason, "reason")? {
        b = b.reason(r);
    }
    if let Some(t) = object_tree(env, o.target, "target")? {
        b = b.target(core::Target::from_tree(&t).js(env)?);
    }
    if let Some(v) = document(env, before.take())? {
        b = b.before_tree(v);
    }
    if let Some(v) = document(env, after.take())? {
        b = b.after_tree(v);
    }
    if let Some(v) = json(env, o.changes)? {
        b = b.changes(core::Change::list_from_json(&v).js(env)?);
    }
    let mut masking = core::Masking::new();
    match given(o.sensitive_paths) {
        None => {}
        Some(Tree::Array(items)) => {
            let paths = items
                .iter()
                .map(|p| match p {
                    Tree::String(s) => Ok(s.as_ref()),
                    _ => Err(type_error("options.sensitivePaths must be strings".into())),
                })
                .collect::<Result<Vec<_>>>()?;
            masking = masking.with_paths(paths).js(env)?;
        }
        Some(_) => return Err(type_error("options.sensitivePaths must be an array of strings".into())),
    }
    // A compiled SettingsSchema comes as its handle (`js/audit.js` leaves it out of the text):
    // its fields are read already, where its document would be walked again on every record.
    if settings.kind()? != Kind::Nullish {
        masking = masking.with_settings(crate::settings::schema_of(settings)?).js(env)?;
    } else if let Some(schema) = json(env, o.schema)? {
        masking = masking.with_schema(&schema).js(env)?;
    }
    if let Some(r) = string(o.request_id, "requestId")? {
        b = b.request_id(r);
    }
    if let Some(m) = json(env, o.metadata)? {
        b = b.metadata(m);
    }
    if let Some(id) = string(o.id, "id")? {
        b = b.id(id);
    }
    b.masking(masking).build_then(now, |record| then(record, slots)).js(env)?
}

/// The record's pieces: one string plus the offsets (in UTF-16 code units, as JS counts) where
/// each piece ends, written into the scratch slots.
struct Out<'o> {
    text: String,
    slots: &'o mut [f64],
    next: usize,
    units: usize,
    /// No piece so far holds a non-ASCII character.
    ascii: bool,
}

impl Out<'_> {
    /// Writes one slot; `false` once the slots are full (the caller then falls back to JSON).
    fn slot(&mut self, value: f64) -> bool {
        let fits = self.slots.get_mut(self.next).map(|s| *s = value).is_some();
        self.next += 1;
        fits
    }

    fn piece(&mut self, s: &str) -> bool {
        self.text.push_str(s);
        if s.is_ascii() {
            self.units += s.len();
        } else {
            self.units += s.encode_utf16().count();
            self.ascii = false;
        }
        self.slot(self.units as f64)
    }

    fn opt(&mut self, s: Option<&str>) -> bool {
        s.is_none_or(|s| self.piece(s))
    }

    /// A change's `before` / `after`: 0 absent, 1 null, 2 false, 3 true, 4 number (next slot),
    /// 5 string (next piece), 6 array or object (next piece, JSON text).
    fn value(&mut self, v: Option<&Tree<'_>>) -> bool {
        match v {
            None => self.slot(0.0),
            Some(Tree::Null) => self.slot(1.0),
            Some(Tree::Bool(false)) => self.slot(2.0),
            Some(Tree::Bool(true)) => self.slot(3.0),
            // The same double as `JSON.parse` of the number's JSON text (serde_json prints the
            // shortest text that round-trips; integers beyond 2^53 round to nearest either way).
            Some(Tree::Number(n)) => self.slot(4.0) && self.slot(n.as_f64().unwrap_or(f64::NAN)),
            Some(Tree::String(s)) => self.slot(5.0) && self.piece(s),
            Some(composite) => {
                self.slot(6.0) && serde_json::to_string(composite).is_ok_and(|text| self.piece(&text))
            }
        }
    }
}

fn flag(bit: u32, on: bool) -> u32 {
    if on { 1 << bit } else { 0 }
}

/// Writes `record` (and its seal members) as pieces; `false` when the slots are too few.
///
/// Slots: flags (bit 0 tenant_id, 1 email, 2 role, 3 ip, 4 user_agent, 5 reason, 6 target,
/// 7 target name, 8 request_id, 9 non-empty metadata, 10 expires_at, 11 sealed, 12 keyed, 13
/// prev_hash is the `previousHash` given, with no piece), actor type, severity, outcome, number of
/// changes; then
/// the end of each piece in this order:
/// id, occurred_at, tenant_id?, actor id, email?, role?, ip?, user_agent?, action, reason?,
/// target type?, target id?, target name?, each change (path, before, after: see
/// [`Out::value`]), request_id?, metadata (JSON text)?, expires_at?, prev_hash? (unless bit 13),
/// seal_key_id?, seal?, hash?.
fn write_record(
    out: &mut Out<'_>,
    r: &core::AuditRecord<core::Changes<'_>>,
    seal: Option<&Sealed<'_>>,
) -> bool {
    let a = &r.actor;
    let t = r.target.as_ref();
    let flags = flag(0, r.tenant_id.is_some())
        | flag(1, a.email.is_some())
        | flag(2, a.role.is_some())
        | flag(3, a.ip.is_some())
        | flag(4, a.user_agent.is_some())
        | flag(5, r.reason.is_some())
        | flag(6, t.is_some())
        | flag(7, t.is_some_and(|t| t.name.is_some()))
        | flag(8, r.request_id.is_some())
        | flag(9, !r.metadata.is_empty())
        | flag(10, r.expires_at.is_some())
        | flag(11, seal.is_some())
        | flag(12, seal.is_some_and(|s| s.fields.seal.is_some()))
        | flag(13, seal.is_some_and(Sealed::prev_given));
    // Indices into the name lists of `js/audit.js`.
    let actor_type = match a.actor_type {
        core::ActorType::User => 0.0,
        core::ActorType::ApiKey => 1.0,
        core::ActorType::Service => 2.0,
        core::ActorType::System => 3.0,
    };
    let severity = match r.severity {
        core::Severity::Info => 0.0,
        core::Severity::Warning => 1.0,
        core::Severity::Error => 2.0,
        core::Severity::Critical => 3.0,
    };
    let outcome = match r.outcome {
        core::Outcome::Success => 0.0,
        core::Outcome::Failure => 1.0,
    };
    let mut ok = out.slot(f64::from(flags))
        && out.slot(actor_type)
        && out.slot(severity)
        && out.slot(outcome)
        && out.slot(r.changes.len() as f64)
        && out.piece(&r.id)
        && out.piece(&r.occurred_at)
        && out.opt(r.tenant_id.as_deref())
        && out.piece(&a.id)
        && out.opt(a.email.as_deref())
        && out.opt(a.role.as_deref())
        && out.opt(a.ip.as_deref())
        && out.opt(a.user_agent.as_deref())
        && out.piece(&r.action)
        && out.opt(r.reason.as_deref());
    if let Some(t) = t {
        ok = ok && out.piece(&t.target_type) && out.piece(&t.id) && out.opt(t.name.as_deref());
    }
    for c in r.changes.iter() {
        ok = ok && out.piece(c.path) && out.value(c.before) && out.value(c.after);
    }
    ok = ok && out.opt(r.request_id.as_deref());
    if !r.metadata.is_empty() {
        ok = ok && serde_json::to_string(&r.metadata).is_ok_and(|text| out.piece(&text));
    }
    ok = ok && out.opt(r.expires_at.as_deref());
    if let Some(s) = seal {
        let (given, s) = (s.prev_given(), s.fields);
        ok = ok
            && (given || out.piece(&s.prev_hash))
            && out.opt(s.seal_key_id.as_deref())
            && out.opt(s.seal.as_deref())
            && out.piece(&s.hash);
    }
    ok
}

/// A record's seal members, with the `previousHash` its caller gave.
struct Sealed<'s> {
    fields: &'s core::SealFields,
    given: Option<&'s str>,
}

impl Sealed<'_> {
    /// The record links to the `previousHash` given, character for character: `js/audit.js` uses
    /// its own string (the core decided the value: it checked the text and kept it).
    fn prev_given(&self) -> bool {
        self.given == Some(self.fields.prev_hash.as_str())
    }
}

thread_local! {
    /// The text of the last result, kept for the next one (its room, not its content).
    static TEXT: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Room kept in [`TEXT`] between calls: the usual record's pieces, not an outsized one's.
const KEPT_TEXT: usize = 64 * 1024;

/// The record for `js/audit.js`: its pieces (see [`write_record`]) with the offsets in `slots`,
/// or, when they do not fit in the slots, its JSON text with the first slot set to -1.
fn record_result(
    env: &Env,
    slots: &mut [f64],
    record: core::AuditRecord<core::Changes<'_>>,
    seal: Option<&Sealed<'_>>,
) -> Result<sys::napi_value> {
    // The text is written into the last call's buffer (its room kept: no allocation for the usual
    // record, ~1 KB, which glibc would not serve from its per-thread cache).
    let mut text = TEXT.take();
    text.clear();
    text.reserve(448 + 64 * record.changes.len());
    let mut out = Out { text, slots, next: 0, units: 0, ascii: true };
    let result = if write_record(&mut out, &record, seal) {
        js_text_ascii(env, &out.text, out.ascii)
    } else {
        let mut json = record.into_owned().to_json();
        if let (Some(sealed), Value::Object(map)) = (seal, &mut json) {
            for (name, value) in sealed.fields.members() {
                map.insert(name.to_owned(), Value::String(value.to_owned()));
            }
        }
        if let Some(first) = out.slots.first_mut() {
            *first = -1.0;
        }
        serde_json::to_string(&json)
            .map_err(|e| napi::Error::new(Status::GenericFailure, e.to_string()))
            .and_then(|json| js_text(env, &json))
    };
    if out.text.capacity() <= KEPT_TEXT {
        TEXT.set(out.text);
    }
    result
}

/// An optional `previousHash` argument, read into `buf` (a hash is 64 characters: no allocation).
fn previous_hash<'b>(value: Js<'_>, buf: &'b mut [u8]) -> Result<Option<Cow<'b, str>>> {
    if let Some(text) = value.text_in(buf)? {
        value.ensure_well_formed(&text)?;
        return Ok(Some(text));
    }
    match value.kind()? {
        Kind::Nullish => Ok(None),
        _ => Err(type_error(format!("previousHash must be a string or null, not {}", value.type_name()))),
    }
}

/// An optional seal key handle (`js/audit.js` passes `SealKey._handle()`, or null).
fn key_handle<'a>(value: Js<'a>) -> Result<Option<&'a core::SealKey>> {
    // (Nullish first: N-API's type tag check of null throws.)
    if value.kind()? == Kind::Nullish {
        return Ok(None);
    }
    // SAFETY: only `SealKey::handle` makes handles tagged SEAL_KEY_TAG.
    unsafe { value.handle::<core::SealKey>(&SEAL_KEY_TAG, "SealKey") }.map(Some)
}

/// `(options, text, badTime, out, settingsHandle)`: builds; returns the record's pieces.
/// `settingsHandle`: the handle of the compiled SettingsSchema given as `schema`, or null.
fn build(env: &Env, args: &[Js<'_>; 5]) -> Result<sys::napi_value> {
    build_record(env, *args, |record, slots| record_result(env, slots, record, None))
}

/// `(options, text, badTime, out, settingsHandle, previousHash, keyHandle)`: builds and seals;
/// returns the sealed record's pieces.
fn build_sealed(env: &Env, args: &[Js<'_>; 7]) -> Result<sys::napi_value> {
    let [options, text, bad_time, out, settings, prev, key] = *args;
    let mut prev_buf = [0u8; 128];
    let prev = previous_hash(prev, &mut prev_buf)?;
    let key = key_handle(key)?;
    build_record(env, [options, text, bad_time, out, settings], |record, slots| {
        let fields = record.seal_fields(prev.as_deref(), key).js(env)?;
        record_result(env, slots, record, Some(&Sealed { fields: &fields, given: prev.as_deref() }))
    })
}

/// The seal members as pieces: prev_hash, seal_key_id?, seal?, hash (slot 0: bit 12 keyed).
fn fields_result(env: &Env, out: Js<'_>, fields: &core::SealFields) -> Result<sys::napi_value> {
    let slots = out.float64_out("out")?;
    let mut out = Out { text: String::with_capacity(200), slots, next: 0, units: 0, ascii: true };
    let ok = out.slot(f64::from(flag(12, fields.seal.is_some())))
        && out.piece(&fields.prev_hash)
        && out.opt(fields.seal_key_id.as_deref())
        && out.opt(fields.seal.as_deref())
        && out.piece(&fields.hash);
    if !ok {
        return Err(type_error("the result array is too short".into()));
    }
    js_text(env, &out.text)
}

/// `(text, previousHash, keyHandle, out, stringified)`: the seal members of the record whose JSON
/// text is `text` (see [`fields_result`]); `stringified` is true when `text` is our own
/// `JSON.stringify` of a record object, false for the caller's text (which may repeat a name).
fn seal_text(env: &Env, args: &[Js<'_>; 5]) -> Result<sys::napi_value> {
    let [text_arg, prev, key, out, stringified] = *args;
    let mut prev_buf = [0u8; 128];
    let prev = previous_hash(prev, &mut prev_buf)?;
    let key = key_handle(key)?;
    let mut buf = [std::mem::MaybeUninit::uninit(); 4096];
    let text = text_arg
        .text_in_uninit(&mut buf)?
        .ok_or_else(|| type_error("expected the record's JSON text".into()))?;
    let stringified = stringified.is_true();
    if !stringified {
        // The caller's own JSON text, held to `Text` (ours escapes what it holds).
        text_arg.ensure_well_formed(&text)?;
    }
    let tree = if stringified { json_tree_stringified(&text) } else { json_tree(&text) }
        .map_err(|e| invalid_json(env, &text, &e))?;
    let fields = core::seal_fields_tree(&tree, prev.as_deref(), key).js(env)?;
    fields_result(env, out, &fields)
}

/// `(text)`: the RFC 8785 canonical JSON of the value whose `JSON.stringify` text `text` is (made by
/// `js/audit.js` once the value passed its check: never the caller's text, so no name repeats).
fn canonical_text(env: &Env, args: &[Js<'_>; 1]) -> Result<sys::napi_value> {
    let [text_arg] = *args;
    let mut buf = [std::mem::MaybeUninit::uninit(); 4096];
    let text = text_arg
        .text_in_uninit(&mut buf)?
        .ok_or_else(|| type_error("expected the value's JSON text".into()))?;
    let tree = json_tree_stringified(&text).map_err(|e| invalid_json(env, &text, &e))?;
    js_text(env, &tenantry::canonical_json::tree_to_string(&tree))
}

raw_callback!(build_cb => build);
raw_callback!(build_sealed_cb => build_sealed);
raw_callback!(seal_text_cb => seal_text);
raw_callback!(canonical_text_cb => canonical_text);

/// The hot-path functions for `js/audit.js`: `{ build, buildSealed, sealText, canonicalText }`.
#[napi(js_name = "_auditHotPaths", catch_unwind)]
pub fn audit_hot_paths<'a>(env: Env) -> Result<Object<'a>> {
    raw_functions(
        &env,
        &[
            ("build", build_cb),
            ("buildSealed", build_sealed_cb),
            ("sealText", seal_text_cb),
            ("canonicalText", canonical_text_cb),
        ],
    )
}
