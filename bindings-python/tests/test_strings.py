"""A `str` that holds a lone surrogate (as `os.fsdecode` or `errors="surrogateescape"` make from
undecodable bytes) has no UTF-8 form. Wherever tenantry takes text, directly or inside data, that is
an `InvalidInputError` with code `input.invalid` naming the surrogate and its index, chained to
CPython's `UnicodeEncodeError`; never a bare `UnicodeEncodeError`, a `TypeError`, or text quietly
changed. (A value in a webhook header mapping is received data: `webhook.invalid_header`.)"""

from __future__ import annotations

from collections import UserDict
from typing import Any, Callable, Dict, List, Tuple

import pytest

from tenantry import audit, limits, settings, webhooks
from tenantry.apikeys import ApiKeys
from tenantry.errors import InvalidInputError, TenantryError
from tenantry.webhooks import github, slack, stripe

BAD = "ok \udc80 rest"  # what b"ok \x80 rest".decode("utf-8", "surrogateescape") gives
NOW = 1_700_000_000
WHSEC = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ACTOR = {"type": "user", "id": "u_1"}
PLANS = {"free": {"limits": {"seats": 5}, "features": ["sso"]}}
SCHEMA = settings.SettingsSchema({"type": "object", "properties": {"theme": {"type": "string", "default": "light"}}})
KEYS = ApiKeys("tk", {"p1": b"p" * 32})
ENT = limits.PlanCatalog(PLANS).entitlements("free")
ISSUED = KEYS.generate()
# JSON text holding BAD (raw, not escaped) as a name or as a string.
NAMED = f'{{"{BAD}": {{}}}}'
VALUED = f'{{"theme": "{BAD}"}}'


def record() -> Dict[str, Any]:
    return audit.build(action="x.done", actor=ACTOR, occurred_at=NOW)


# (what, call): each call hands tenantry `BAD` in one place.
CASES: List[Tuple[str, Callable[[], object]]] = [
    # audit: keyword arguments, the actor and documents, sealing, canonical JSON
    ("audit.build action", lambda: audit.build(action=BAD, actor=ACTOR)),
    ("audit.build actor id", lambda: audit.build(action="x.done", actor={"type": "user", "id": BAD})),
    ("audit.build tenant_id", lambda: audit.build(action="x.done", actor=ACTOR, tenant_id=BAD)),
    ("audit.build severity", lambda: audit.build(action="x.done", actor=ACTOR, severity=BAD)),
    ("audit.build outcome", lambda: audit.build(action="x.done", actor=ACTOR, outcome=BAD)),  # type: ignore[arg-type]
    ("audit.build reason", lambda: audit.build(action="x.done", actor=ACTOR, outcome="failure", reason=BAD)),
    ("audit.build request_id", lambda: audit.build(action="x.done", actor=ACTOR, request_id=BAD)),
    ("audit.build id", lambda: audit.build(action="x.done", actor=ACTOR, id=BAD)),
    ("audit.build sensitive_paths", lambda: audit.build(action="x.done", actor=ACTOR, sensitive_paths=["/a", BAD])),
    ("audit.build before value", lambda: audit.build(action="x.done", actor=ACTOR, before={"a": BAD}, after={})),
    ("audit.build after name", lambda: audit.build(action="x.done", actor=ACTOR, before={}, after={BAD: 1})),
    ("audit.build metadata", lambda: audit.build(action="x.done", actor=ACTOR, metadata={"m": [BAD]})),
    ("audit.build_sealed previous_hash", lambda: audit.build_sealed(BAD, action="x.done", actor=ACTOR)),
    ("audit.seal previous_hash", lambda: audit.seal(record(), BAD)),
    ("audit.seal record", lambda: audit.seal({**record(), "action": BAD}, None)),
    ("audit.verify_chain anchor", lambda: audit.verify_chain([audit.seal(record(), None)], anchor=BAD)),
    ("audit.SealKey id", lambda: audit.SealKey(BAD, b"k" * 32)),
    ("audit.canonical_json value", lambda: audit.canonical_json({"a": BAD})),
    ("audit.canonical_json name", lambda: audit.canonical_json({BAD: 1})),
    ("audit.canonical_json text", lambda: audit.canonical_json(BAD)),
    # settings
    ("settings.get key", lambda: SCHEMA.get({}, BAD)),
    ("settings.set key", lambda: SCHEMA.set({}, BAD, 1)),
    ("settings.set value", lambda: SCHEMA.set({}, "theme", BAD)),
    ("settings.apply_patch role", lambda: SCHEMA.apply_patch({}, {}, role=BAD)),
    ("settings.apply_patch expected_etag", lambda: SCHEMA.apply_patch({}, {}, expected_etag=BAD)),
    ("settings.apply_patch patch", lambda: SCHEMA.apply_patch({}, {"theme": BAD})),
    ("settings.view audience", lambda: SCHEMA.view({}, BAD)),
    ("settings.entries audience", lambda: SCHEMA.entries({}, BAD)),
    # limits
    ("limits.entitlements plan", lambda: limits.PlanCatalog(PLANS).entitlements(BAD)),
    ("limits.trial_ends_at plan", lambda: limits.PlanCatalog(PLANS).trial_ends_at(BAD, NOW)),
    ("limits.PlanCatalog data", lambda: limits.PlanCatalog({BAD: {}})),
    ("limits.check metric", lambda: ENT.check(BAD, 1)),
    ("limits.enforce metric", lambda: ENT.enforce(BAD, 1)),
    ("limits.limit metric", lambda: ENT.limit(BAD)),
    ("limits.has_feature name", lambda: ENT.has_feature(BAD)),
    ("limits.usage_report metric", lambda: ENT.usage_report({BAD: 1})),
    ("limits.period_window kind", lambda: limits.period_window(BAD)),  # type: ignore[arg-type]
    ("limits.RateLimit policy", lambda: limits.RateLimit(10, 60, policy=BAD)),
    # webhooks
    ("webhooks.Webhook secret", lambda: webhooks.Webhook(BAD)),
    ("webhooks.Webhook secrets", lambda: webhooks.Webhook([WHSEC, BAD])),
    ("webhooks.sign msg_id", lambda: webhooks.Webhook(WHSEC).sign(BAD, b"{}", NOW)),
    ("webhooks.sign payload", lambda: webhooks.Webhook(WHSEC).sign("msg_1", BAD, NOW)),
    ("webhooks.build_event type", lambda: webhooks.build_event(BAD, {})),
    ("webhooks.build_event data", lambda: webhooks.build_event("a.b", {"a": BAD})),
    ("webhooks.EventFilter pattern", lambda: webhooks.EventFilter(["a.*", BAD])),
    ("webhooks.EventFilter.matches", lambda: webhooks.EventFilter(["a.*"]).matches(BAD)),
    ("webhooks.RetryPolicy.decide retry_after", lambda: webhooks.RetryPolicy().decide(1, 429, BAD)),
    ("stripe.sign secret", lambda: stripe.sign(b"{}", BAD, NOW)),
    ("stripe.verify header", lambda: stripe.verify(b"{}", BAD, "whsec_x")),
    ("stripe.verify secret", lambda: stripe.verify(b"{}", "t=1,v1=00", BAD)),
    ("github.sign secret", lambda: github.sign(b"{}", BAD)),
    ("github.verify secret", lambda: github.verify(b"{}", "sha256=00", BAD)),
    ("github.verify secrets", lambda: github.verify(b"{}", "sha256=00", ["s", BAD])),
    ("slack.sign secret", lambda: slack.sign(b"{}", BAD, NOW)),
    ("slack.verify header", lambda: slack.verify(b"{}", str(NOW), BAD, "s", now=NOW)),
    # API keys
    ("ApiKeys prefix", lambda: ApiKeys(BAD, {"p1": b"p" * 32})),
    ("ApiKeys pepper id", lambda: ApiKeys("tk", {BAD: b"p" * 32})),
    ("ApiKeys current_pepper", lambda: ApiKeys("tk", {"p1": b"p" * 32}, current_pepper=BAD)),
    ("ApiKeys environments", lambda: ApiKeys("tk", {"p1": b"p" * 32}, environments=["live", BAD])),
    ("ApiKeys.generate environment", lambda: KEYS.generate(environment=BAD)),
    ("ApiKeys.generate name", lambda: KEYS.generate(name=BAD)),
    ("ApiKeys.generate scopes", lambda: KEYS.generate(scopes=["read", BAD])),
    ("ApiKeys.verify scope", lambda: KEYS.verify(KEYS.generate().token, None, [BAD])),
    ("ApiKeys.verify any-of group", lambda: KEYS.verify(KEYS.generate().token, None, [["a", BAD]])),
    ("ApiKeys.verify environment", lambda: KEYS.verify(KEYS.generate().token, None, environment=BAD)),
    # The same calls the Node table checks (bindings-node/test/strings.test.js): JSON text given as
    # a str, and the names, keys and option values Node reads through its own paths.
    ("limits.PlanCatalog JSON text", lambda: limits.PlanCatalog(NAMED)),
    ("limits.entitlements overrides text", lambda: limits.PlanCatalog(PLANS).entitlements("free", f'{{"features": ["{BAD}"]}}')),
    ("settings.SettingsSchema JSON text", lambda: settings.SettingsSchema(f'{{"type": "object", "title": "{BAD}"}}')),
    ("settings.validate text", lambda: SCHEMA.validate(VALUED)),
    ("settings.etag text", lambda: SCHEMA.etag(VALUED)),
    ("settings.view text", lambda: SCHEMA.view(VALUED)),
    ("settings.entries text", lambda: SCHEMA.entries(VALUED)),
    ("settings.get text", lambda: SCHEMA.get(VALUED, "theme")),
    ("settings.migrate text", lambda: SCHEMA.migrate(VALUED)),
    ("settings.apply_patch overrides text", lambda: SCHEMA.apply_patch(VALUED, {})),
    ("settings.apply_patch patch text", lambda: SCHEMA.apply_patch({}, NAMED)),
    ("settings.set overrides text", lambda: SCHEMA.set(VALUED, "theme", "x")),
    ("settings.set role", lambda: SCHEMA.set({}, "theme", "x", role=BAD)),  # type: ignore[arg-type]
    ("settings.resolve layer name", lambda: SCHEMA.resolve([(BAD, {})])),
    ("settings.resolve text layer", lambda: SCHEMA.resolve([("tenant", VALUED)])),
    ("settings.resolve layer name (mapping of layers)", lambda: SCHEMA.resolve({BAD: {}})),
    ("audit.seal record text", lambda: audit.seal(f'{{"action": "{BAD}"}}', None)),
    ("audit.verify_chain records text", lambda: audit.verify_chain(f'[{{"action": "{BAD}"}}]')),
    ("audit.to_csv records text", lambda: audit.to_csv(f'[{{"action": "{BAD}"}}]')),
    ("audit.to_jsonl records text", lambda: audit.to_jsonl(f'[{{"action": "{BAD}"}}]')),
    ("audit.summarize records text", lambda: audit.summarize(f'[{{"action": "{BAD}"}}]')),
    ("audit.to_ocsf record text", lambda: audit.to_ocsf(f'{{"action": "{BAD}"}}')),
    ("webhooks.build_event data text", lambda: webhooks.build_event("a.b", NAMED)),
    ("ApiKeys known_scopes", lambda: ApiKeys("tk", {"p1": b"p" * 32}, known_scopes=["read", BAD])),
    ("ApiKeys.verify record text", lambda: KEYS.verify(ISSUED.token, f'{{"key_id": "{BAD}"}}')),
    # A stored record that revoke or roll hands back to be stored: its text is refused, as the same
    # text given to generate is, not changed to U+FFFD and stored so (verify only judges a record:
    # see test_an_api_key_token_with_a_lone_surrogate_is_malformed_not_an_error).
    ("ApiKeys.revoke record name", lambda: KEYS.revoke(dict(ISSUED.record, name=BAD))),
    ("ApiKeys.roll record name", lambda: KEYS.roll(dict(ISSUED.record, name=BAD), grace=60)),
    ("ApiKeys.roll_with_random record name", lambda: KEYS.roll_with_random(bytes(30), dict(ISSUED.record, name=BAD), grace=60)),
    ("ApiKeys.revoke record scope", lambda: KEYS.revoke(dict(ISSUED.record, scopes=["read", BAD]))),
    ("ApiKeys.revoke record (a Mapping)", lambda: KEYS.revoke(UserDict(ISSUED.record, name=BAD))),
]


@pytest.mark.parametrize("what, call", CASES, ids=[what for what, _ in CASES])
def test_a_lone_surrogate_is_a_typed_error(what: str, call: Callable[[], object]) -> None:
    with pytest.raises(InvalidInputError) as info:
        call()
    err = info.value
    assert isinstance(err, TenantryError) and isinstance(err, ValueError)
    assert err.code == "input.invalid", what
    assert "lone surrogate ('\\udc80') at index " in str(err), str(err)
    assert isinstance(err.__cause__, UnicodeEncodeError)


def test_a_webhook_header_value_is_received_data_not_an_argument() -> None:
    # A header mapping holds what a request brought (ASGI gives bytes): a value with no UTF-8 form
    # fails verification like any other bad header, so a handler catching the verification error
    # answers 4xx instead of crashing.
    headers = {"webhook-id": BAD, "webhook-timestamp": str(NOW), "webhook-signature": "v1,AAAA"}
    with pytest.raises(webhooks.WebhookVerificationError) as info:
        webhooks.Webhook(WHSEC).verify(b"{}", headers, now=NOW)
    assert info.value.code == "webhook.invalid_header"


def test_the_argument_is_named() -> None:
    with pytest.raises(InvalidInputError) as info:
        stripe.sign(b"{}", BAD, NOW)
    assert "while processing 'secret'" in getattr(info.value, "__notes__", [])


def test_wrong_types_are_still_type_errors() -> None:
    with pytest.raises(TypeError, match="'int' object is not an instance of 'str'"):
        stripe.sign(b"{}", 5, NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="scopes must be a list of str"):
        KEYS.generate(scopes=["read", 5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="secrets must be a list of str"):
        github.verify(b"{}", "sha256=00", ["s", 5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="required_scopes must be a list"):
        KEYS.verify(KEYS.generate().token, None, [["a", 5]])  # type: ignore[list-item]


def test_an_api_key_token_with_a_lone_surrogate_is_malformed_not_an_error() -> None:
    # A presented token is untrusted request input: it gets a verdict, as any other bad token.
    assert KEYS.verify(BAD, None).code == "MALFORMED"
    # So does a stored record's text (its JSON text given as a str is text, refused above); Node
    # answers the same (bindings-node/test/strings.test.js).
    assert KEYS.verify(ISSUED.token, {**ISSUED.record, "key_id": BAD}).code == "NOT_FOUND"
    assert KEYS.verify(ISSUED.token, {**ISSUED.record, "environment": BAD}).code == "ENVIRONMENT_MISMATCH"


def test_a_member_name_with_a_lone_surrogate_is_a_member_the_record_does_not_have() -> None:
    # It names no field, so it is skipped unread, as a row's other columns are, and what revoke
    # and roll hand back to be stored does not hold it. It was an error whose message began
    # "InvalidInputError: " (verify) or input.invalid (revoke), where Node read the record.
    row = {**ISSUED.record, BAD: 1}
    assert KEYS.verify(ISSUED.token, row).code == "VALID"
    assert KEYS.revoke(row, now=NOW) == KEYS.revoke(ISSUED.record, now=NOW)
    assert KEYS.roll_with_random(bytes(30), row, grace=60, now=NOW).previous == KEYS.roll_with_random(
        bytes(30), ISSUED.record, grace=60, now=NOW).previous


def test_a_lone_surrogate_in_a_token_or_record_is_one_replacement_character_as_in_node() -> None:
    # Node reads a JS string's lone surrogate as one U+FFFD (Buffer.from, N-API); pyo3's lossy
    # reading gave three (one per byte of its surrogatepass encoding), so the same token hashed
    # differently in the two languages.
    assert KEYS.hash_token("tk_live_abc\ud800") == KEYS.hash_token("tk_live_abc\ufffd")
    assert KEYS.hash_token("a\udc80\udc81b") == KEYS.hash_token("a\ufffd\ufffdb")
    assert KEYS.hash_token("\ud83d\ude00") == KEYS.hash_token("\ufffd\ufffd")  # two code points in Python
    with pytest.raises(TenantryError) as info:
        KEYS.verify(ISSUED.token, {**ISSUED.record, "pepper_id": "p\ud800"})
    assert 'pepper "p\ufffd",' in str(info.value), str(info.value)


def test_text_that_is_valid_unicode_is_unchanged() -> None:
    text = "é ß 中文 😀 \u2028"
    rec = audit.build(action="x.done", actor={"type": "user", "id": text}, reason=text, outcome="failure",
                      before={"a": text}, after={"a": text + "!"}, occurred_at=NOW)
    assert rec["actor"]["id"] == text and rec["reason"] == text
    assert rec["changes"] == [{"path": "/a", "before": text, "after": text + "!"}]
    assert SCHEMA.set({}, "theme", text).overrides == {"theme": text}


@pytest.mark.parametrize("call", [
    lambda: audit.seal('{"a": "\\udc80"}', None),
    lambda: audit.verify_chain('[{"a": "\\udc80"}]'),
    lambda: limits.PlanCatalog('{"free": {"features": ["\\udc80"]}}'),
    lambda: SCHEMA.apply_patch('{"theme": "\\udc80"}', {}),
])
def test_json_text_escaping_a_lone_surrogate_says_so(call: Callable[[], object]) -> None:
    # json.dumps writes a lone surrogate as this escape; no UTF-8 text can hold what it stands for.
    with pytest.raises(InvalidInputError) as info:
        call()
    assert info.value.code == "input.invalid_json"
    assert str(info.value).startswith("invalid JSON text: a string holds a lone surrogate (\\udc80)")
