'use strict'
// A JS string may hold a lone surrogate; no UTF-8 text can. In data (a document, an audit option,
// a record, a catalog, usage) it is the core's input.invalid in the words Python gives for such a
// `str`, naming its first lone surrogate by code point. In the caller's own JSON text, an escaped
// one (`\udc80`) is input.invalid_json with a message that names the surrogate and its place, not
// serde_json's own words for it ("unexpected end of hex escape"), as in Python. Escaped pairs and
// escaped backslashes are not lone surrogates, and other errors near them keep their own message.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { audit, InvalidInputError } = require('..')

const ACTOR = { type: 'user', id: 'u_1' }
const BAD = 'ok \udc80 rest'
const LONE = /^invalid JSON text: a string holds a lone surrogate \(\\udc80\), which no UTF-8 text can hold \(text must be valid Unicode\) at line \d+ column \d+$/

function refused(fn, message = LONE) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof InvalidInputError, String(err))
    assert.equal(err.code, 'input.invalid_json')
    assert.match(err.message, message)
    return true
  })
}

/** Refused as data: Python's input.invalid for the string `text` (see `pythonMessage`). */
function refusedAsData(fn, text = BAD) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof InvalidInputError, String(err))
    assert.equal(err.code, 'input.invalid')
    assert.equal(err.message, pythonMessage(text))
    return true
  })
}

test('audit options, records and chains holding a lone surrogate are refused, and say why', () => {
  refusedAsData(() => audit.build({ action: 'x.done', actor: { type: 'user', id: BAD } }))
  refusedAsData(() => audit.build({ action: 'x.done', actor: ACTOR, metadata: { [BAD]: 1 } }))
  refusedAsData(() => audit.buildSealed({ action: 'x.done', actor: ACTOR, before: {}, after: { a: BAD } }, null))
  refusedAsData(() => audit.canonicalJson({ a: [BAD] }))
  refusedAsData(() => audit.canonicalJson(BAD))
  refusedAsData(() => audit.seal({ action: BAD }, null))
  refusedAsData(() => audit.verifyChain([{ action: BAD }]))
  refusedAsData(() => audit.build({ action: 'x.done', actor: ACTOR, metadata: { a: `😀x${BAD}` } }), `😀x${BAD}`)
  // The caller's own text: the position is in that text.
  refused(() => audit.seal('{\n  "a": "\\udc80"\n}', null), /a lone surrogate \(\\udc80\).* at line 2 column 14$/)
  refused(() => audit.seal('{"a":"\\ud83d\\u0041"}', null), /a lone surrogate \(\\ud83d\)/)
  refused(() => audit.seal('{"a":"\\ude00\\ud83d"}', null), /a lone surrogate \(\\ude00\)/)
})

test('escaped pairs and escaped backslashes are not lone surrogates', () => {
  assert.equal(audit.seal('{"a":"\\ud83d\\ude00"}', null).a, '😀')
  assert.equal(audit.build({ action: 'x.done', actor: { type: 'user', id: '\\ud800' } }).actor.id, '\\ud800')
  // Another error just after them keeps serde_json's message.
  refused(() => audit.seal('{"a":"\\ud83d\\ude00" x}', null), /^invalid JSON text: expected `,` or `}` at line 1 column 21$/)
  refused(() => audit.seal('{"a":"\\\\ud800" x}', null), /^invalid JSON text: expected `,` or `}` at line 1 column 16$/)
})

// ---- names, keys, ids, option values and JSON text: input.invalid, as in Python -----------------
//
// N-API reads a string holding a lone surrogate with U+FFFD in its place, without a word: a metric
// 'm\ud800' was the catalog's 'm\ufffd', JSON text '{"p\ud800":{}}' made a plan 'p\ufffd'. Every
// string that is a name, key, id, option value or JSON text is refused instead, with the error
// Python gives for the same `str` (tests/test_strings.py): InvalidInputError, `input.invalid`, the
// core's one wording (tenantry::json_text::lone_surrogate), naming the code unit and its index in
// code points (as Python counts).

const tenantry = require('..')
const { ApiKeys, EventFilter, PlanCatalog, RateLimit, RetryPolicy, SettingsSchema, periodWindow } = tenantry

const NOW = 1_700_000_000
const PLANS = { free: { limits: { seats: 5 }, features: ['sso'] } }
const catalog = new PlanCatalog(PLANS)
const ent = catalog.entitlements('free')
const schema = new SettingsSchema({ type: 'object', properties: { theme: { type: 'string', default: 'light' } } })
const PEPPER = Buffer.alloc(32, 'p')
const keys = new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER } })
const issued = keys.generate()
const record = () => audit.build({ action: 'x.done', actor: ACTOR, occurredAt: NOW })
const sealed = () => audit.seal(record(), null)
// JSON text holding BAD (raw, not escaped) as a name or a string.
const NAMED = `{"${BAD}": {}}`
const VALUED = `{"theme": "${BAD}"}`

/** The message Python gives for `text`: its first lone surrogate, by code point index. */
function pythonMessage(text) {
  let index = 0
  for (const ch of text) {
    const unit = ch.charCodeAt(0)
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return `str holds a lone surrogate ('\\u${unit.toString(16)}') at index ${index}: it is not valid Unicode, so it has no UTF-8 form`
    }
    index++
  }
  throw new Error(`no lone surrogate in ${JSON.stringify(text)}`)
}

// (what, call, the string holding the surrogate).
const CASES = [
  // limits: names, option values and catalogs as JSON text (the hot path included)
  ['PlanCatalog JSON text', () => new PlanCatalog(NAMED), NAMED],
  ['PlanCatalog.entitlements plan', () => catalog.entitlements(BAD), BAD],
  ['PlanCatalog.entitlements overrides text', () => catalog.entitlements('free', { overrides: `{"features": ["${BAD}"]}` }), `{"features": ["${BAD}"]}`],
  ['PlanCatalog.trialEndsAt plan', () => catalog.trialEndsAt(BAD, NOW), BAD],
  ['Entitlements.check metric', () => ent.check(BAD, 1), BAD],
  ['Entitlements.enforce metric', () => ent.enforce(BAD, 1), BAD],
  ['Entitlements.limit metric', () => ent.limit(BAD), BAD],
  ['Entitlements.hasFeature name', () => ent.hasFeature(BAD), BAD],
  ['periodWindow kind', () => periodWindow(BAD), BAD],
  ['RateLimit policy', () => new RateLimit(10, 60, { policy: BAD }), BAD],
  // settings: documents as JSON text, keys, option values, resolve's names and text layers
  ['new SettingsSchema JSON text', () => new SettingsSchema(`{"type": "object", "title": "${BAD}"}`), `{"type": "object", "title": "${BAD}"}`],
  ['SettingsSchema.validate text', () => schema.validate(VALUED), VALUED],
  ['SettingsSchema.etag text', () => schema.etag(VALUED), VALUED],
  ['SettingsSchema.view text', () => schema.view(VALUED), VALUED],
  ['SettingsSchema.entries text', () => schema.entries(VALUED), VALUED],
  ['SettingsSchema.get text', () => schema.get(VALUED, 'theme'), VALUED],
  ['SettingsSchema.migrate text', () => schema.migrate(VALUED), VALUED],
  ['SettingsSchema.applyPatch overrides text', () => schema.applyPatch(VALUED, {}), VALUED],
  ['SettingsSchema.applyPatch patch text', () => schema.applyPatch({}, NAMED), NAMED],
  ['SettingsSchema.set overrides text', () => schema.set(VALUED, 'theme', 'x'), VALUED],
  ['SettingsSchema.get key', () => schema.get({}, BAD), BAD],
  ['SettingsSchema.set key', () => schema.set({}, BAD, 1), BAD],
  ['SettingsSchema.applyPatch role', () => schema.applyPatch({}, {}, { role: BAD }), BAD],
  ['SettingsSchema.applyPatch expectedEtag', () => schema.applyPatch({}, {}, { expectedEtag: BAD }), BAD],
  ['SettingsSchema.set role', () => schema.set({}, 'theme', 'x', { role: BAD }), BAD],
  ['SettingsSchema.view audience', () => schema.view({}, BAD), BAD],
  ['SettingsSchema.entries audience', () => schema.entries({}, BAD), BAD],
  ['SettingsSchema.resolve layer name', () => schema.resolve([[BAD, {}]]), BAD],
  ['SettingsSchema.resolve text layer', () => schema.resolve([['tenant', VALUED]]), VALUED],
  ['SettingsSchema.resolve layer name (object of layers)', () => schema.resolve({ [BAD]: {} }), BAD],
  // audit: option strings (they crossed escaped in JSON text: input.invalid_json, at a place in
  // text the caller never wrote), ids, hashes, records and chains as JSON text
  ['audit.build action', () => audit.build({ action: `x.${BAD}`, actor: ACTOR }), `x.${BAD}`],
  ['audit.build reason', () => audit.build({ action: 'x.done', actor: ACTOR, outcome: 'failure', reason: BAD }), BAD],
  ['audit.build tenantId', () => audit.build({ action: 'x.done', actor: ACTOR, tenantId: BAD }), BAD],
  ['audit.buildSealed requestId', () => audit.buildSealed({ action: 'x.done', actor: ACTOR, requestId: BAD }, null), BAD],
  ['audit.build actor text', () => audit.build({ action: 'x.done', actor: `{"type": "user", "id": "${BAD}"}` }), `{"type": "user", "id": "${BAD}"}`],
  ['audit.SealKey id', () => new audit.SealKey(BAD, Buffer.alloc(32, 'k')), BAD],
  ['audit.seal previousHash', () => audit.seal(record(), BAD), BAD],
  ['audit.seal record text', () => audit.seal(`{"action": "${BAD}"}`, null), `{"action": "${BAD}"}`],
  ['audit.buildSealed previousHash', () => audit.buildSealed({ action: 'x.done', actor: ACTOR }, BAD), BAD],
  ['audit.verifyChain anchor', () => audit.verifyChain([sealed()], null, { anchor: BAD }), BAD],
  ['audit.verifyChain records text', () => audit.verifyChain(`[{"action": "${BAD}"}]`), `[{"action": "${BAD}"}]`],
  ['audit.toCsv records text', () => audit.toCsv(`[{"action": "${BAD}"}]`), `[{"action": "${BAD}"}]`],
  ['audit.toJsonl records text', () => audit.toJsonl(`[{"action": "${BAD}"}]`), `[{"action": "${BAD}"}]`],
  ['audit.summarize records text', () => audit.summarize(`[{"action": "${BAD}"}]`), `[{"action": "${BAD}"}]`],
  ['audit.toOcsf record text', () => audit.toOcsf(`{"action": "${BAD}"}`), `{"action": "${BAD}"}`],
  // webhooks: ids, event types, patterns, option values, event data as JSON text
  ['Webhook.sign msgId', () => new tenantry.Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').sign(BAD, '{}', NOW), BAD],
  ['buildEvent type', () => tenantry.buildEvent(BAD, {}), BAD],
  ['buildEvent data text', () => tenantry.buildEvent('a.b', NAMED), NAMED],
  ['EventFilter pattern', () => new EventFilter(['a.*', BAD]), BAD],
  ['EventFilter.matches', () => new EventFilter(['a.*']).matches(BAD), BAD],
  ['RetryPolicy.decide retryAfter', () => new RetryPolicy().decide(1, 429, BAD), BAD],
  // API keys: the format's names, ids and vocabularies, key options, verify options, records
  ['ApiKeys prefix', () => new ApiKeys({ prefix: BAD, peppers: { p1: PEPPER } }), BAD],
  ['ApiKeys pepper id', () => new ApiKeys({ prefix: 'tk', peppers: { [BAD]: PEPPER } }), BAD],
  ['ApiKeys currentPepper', () => new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER }, currentPepper: BAD }), BAD],
  ['ApiKeys environments', () => new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER }, environments: ['live', BAD] }), BAD],
  ['ApiKeys knownScopes', () => new ApiKeys({ prefix: 'tk', peppers: { p1: PEPPER }, knownScopes: ['read', BAD] }), BAD],
  ['ApiKeys.generate environment', () => keys.generate({ environment: BAD }), BAD],
  ['ApiKeys.generate name', () => keys.generate({ name: BAD }), BAD],
  ['ApiKeys.generate scopes', () => keys.generate({ scopes: ['read', BAD] }), BAD],
  ['ApiKeys.verify scope', () => keys.verify(issued.token, issued.record, { requiredScopes: [BAD] }), BAD],
  ['ApiKeys.verify any-of group', () => keys.verify(issued.token, issued.record, { requiredScopes: [['a', BAD]] }), BAD],
  ['ApiKeys.verify environment', () => keys.verify(issued.token, issued.record, { environment: BAD }), BAD],
  ['ApiKeys.verify record text', () => keys.verify(issued.token, `{"key_id": "${BAD}"}`), `{"key_id": "${BAD}"}`],
  // A stored record that revoke or roll hands back to be stored: its text is refused, as the same
  // text given to generate is, not changed to U+FFFD and stored so (verify only judges a record).
  ['ApiKeys.revoke record name', () => keys.revoke({ ...issued.record, name: BAD }), BAD],
  ['ApiKeys.roll record name', () => keys.roll({ ...issued.record, name: BAD }, { grace: 60 }), BAD],
  ['ApiKeys.rollWithRandom record name', () => keys.rollWithRandom(Buffer.alloc(30), { ...issued.record, name: BAD }, { grace: 60 }), BAD],
  ['ApiKeys.revoke record scope', () => keys.revoke({ ...issued.record, scopes: ['read', BAD] }), BAD],
  ['ApiKeys.revoke snake_case record', () => keys.revoke({ key_id: issued.record.keyId, hash: issued.record.hash, pepper_id: issued.record.pepperId, environment: 'live', scopes: [], created_at: NOW, name: BAD }), BAD],
  // webhook schemes: received headers (read as U+FFFD, they failed to verify for another reason)
  ['stripe.verify header', () => tenantry.stripe.verify('{}', `t=1,v1=${BAD}`, 'whsec_x', { now: 1 }), `t=1,v1=${BAD}`],
  ['slack.verify timestamp header', () => tenantry.slack.verify('{}', BAD, 'v0=00', 's', { now: 1 }), BAD],
  ['slack.verify signature header', () => tenantry.slack.verify('{}', '1', BAD, 's', { now: 1 }), BAD],
  ['github.verify header', () => tenantry.github.verify('{}', `sha256=${BAD}`, 's'), `sha256=${BAD}`],
]

for (const [what, call, text] of CASES) {
  test(`a lone surrogate is input.invalid, as in Python: ${what}`, () => {
    assert.throws(call, (err) => {
      assert.ok(err instanceof InvalidInputError, `${what}: ${err}`)
      assert.equal(err.code, 'input.invalid', what)
      assert.equal(err.message, pythonMessage(text), what)
      return true
    })
  })
}

test('the message names the first lone surrogate by code point, as Python counts', () => {
  // An astral character before it is one code point (two UTF-16 units); a real U+FFFD is text.
  for (const [text, unit, index] of [['😀\ufffd\ud83d', 'd83d', 2], ['\ude00x', 'de00', 0], ['a😀b\udfff', 'dfff', 3]]) {
    assert.throws(() => ent.hasFeature(text), (err) => {
      assert.equal(err.message, `str holds a lone surrogate ('\\u${unit}') at index ${index}: it is not valid Unicode, so it has no UTF-8 form`)
      return err instanceof InvalidInputError
    })
  }
})

test('well-formed text holding a real U+FFFD or astral characters is unchanged', () => {
  const text = 'é \ufffd 😀 中文'
  const plans = new PlanCatalog({ [text]: { limits: { [text]: 2 }, features: [text] } })
  const mine = plans.entitlements(text, { overrides: `{"limits": {"${text}": 3}}` })
  assert.equal(mine.limit(text), 3)
  assert.equal(mine.hasFeature(text), true)
  assert.equal(mine.check(text, 1).allowed, true)
  const free = new SettingsSchema(`{"type": "object", "title": "${text}"}`)
  assert.equal(free.schema.title, text)
  assert.equal(free.etag(`{"${text}": "${text}"}`), free.etag({ [text]: text }))
  assert.deepStrictEqual(free.applyPatch(`{"a": "${text}"}`, { b: text }).overrides, { a: text, b: text })
  assert.deepStrictEqual(free.resolve([[text, `{"a": "${text}"}`]]).provenance['/a'], text)
  assert.equal(schema.get(`{"theme": "${text}"}`, 'theme'), text)
  assert.equal(new audit.SealKey(text, Buffer.alloc(32, 'k')).id, text)
  assert.equal(audit.seal(`{"a": "${text}"}`, null).a, text)
  assert.equal(new EventFilter(['a.*']).matches(`a.${text}`), true)
  const named = keys.generate({ name: text })
  assert.equal(named.record.name, text)
  assert.equal(keys.verify(named.token, named.record).valid, true)
})

test('API key tokens and stored records are judged, not refused, as in Python', () => {
  assert.equal(keys.verify(BAD, null).code, 'MALFORMED')
  // A stored record's strings are data the caller looked up (its JSON text is text, above).
  assert.equal(keys.verify(issued.token, { ...issued.record, keyId: BAD }).code, 'NOT_FOUND')
  assert.equal(keys.verify(issued.token, { ...issued.record, environment: BAD }).code, 'ENVIRONMENT_MISMATCH')
  assert.equal(keys.verify(`${issued.token}\ud800`, issued.record).code, 'MALFORMED')
  assert.throws(() => keys.parse(BAD), (err) => err instanceof tenantry.ApiKeyError && err.code === 'apikey.malformed')
  assert.equal(keys.hashToken(BAD), keys.hashToken('ok \ufffd rest'))
})

test('a member name with a lone surrogate is a member the record does not have, as in Python', () => {
  // It names no field, so it is not read, and what revoke and roll hand back does not hold it.
  const row = { ...issued.record, [BAD]: 1 }
  assert.equal(keys.verify(issued.token, row).code, 'VALID')
  assert.deepStrictEqual(keys.revoke(row, NOW), keys.revoke(issued.record, NOW))
  assert.deepStrictEqual(
    keys.rollWithRandom(Buffer.alloc(30), row, { grace: 60, now: NOW }).previous,
    keys.rollWithRandom(Buffer.alloc(30), issued.record, { grace: 60, now: NOW }).previous,
  )
})

test('payloads and secrets given as strings are read as Buffer.from reads them (U+FFFD), as README says', () => {
  const { Webhook, stripe, github, slack } = tenantry
  const wh = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
  const signed = wh.sign('msg_1', BAD, 1_700_000_000)
  assert.deepStrictEqual(signed, wh.sign('msg_1', Buffer.from(BAD), 1_700_000_000))
  assert.deepStrictEqual(signed, wh.sign('msg_1', 'ok \ufffd rest', 1_700_000_000))
  assert.equal(stripe.sign(BAD, 'whsec_x', 1_700_000_000), stripe.sign(Buffer.from(BAD), 'whsec_x', 1_700_000_000))
  // Secrets: the bytes a string secret stands for are Buffer.from's.
  assert.equal(stripe.sign('{}', BAD, NOW), stripe.sign('{}', 'ok \ufffd rest', NOW))
  assert.equal(github.sign('{}', BAD), github.sign('{}', 'ok \ufffd rest'))
  assert.equal(slack.sign('{}', BAD, NOW), slack.sign('{}', 'ok \ufffd rest', NOW))
  const peppered = new ApiKeys({ prefix: 'tk', peppers: { p1: `${BAD}${'p'.repeat(32)}` } })
  assert.equal(peppered.hashToken('t'), new ApiKeys({ prefix: 'tk', peppers: { p1: Buffer.from(`${BAD}${'p'.repeat(32)}`) } }).hashToken('t'))
  assert.doesNotThrow(() => new audit.SealKey('k1', `${BAD}${'k'.repeat(32)}`))
})

test('data (not text) holding a lone surrogate is input.invalid in every call, as in Python', () => {
  // It was a TypeError in documents to write and the data limits are enforced from, and
  // input.invalid_json (at a place in a text the caller never wrote) in audit data.
  refusedAsData(() => new PlanCatalog({ [BAD]: {} }))
  refusedAsData(() => ent.usageReport({ [BAD]: 1 }))
  refusedAsData(() => schema.applyPatch({}, { theme: BAD }))
  refusedAsData(() => tenantry.mergePatch({}, { a: BAD }))
  refusedAsData(() => schema.set({}, 'theme', BAD))
  refusedAsData(() => schema.validate({ theme: BAD }))
  refusedAsData(() => schema.resolve([['tenant', { theme: BAD }]]))
  refusedAsData(() => tenantry.buildEvent('invoice.paid', { a: [BAD] }, NOW))
  refusedAsData(() => audit.build({ action: 'x.done', actor: ACTOR, after: { a: BAD }, before: {} }))
})
