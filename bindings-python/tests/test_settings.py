"""tenantry.settings beyond the vectors: seed rules, differential checks against python-jsonschema
and an independent RFC 7396 implementation, and hostile input."""

from __future__ import annotations

import copy
import json
import math
import random
import re
import threading
import urllib.parse
from typing import Any, Dict, List

import jsonschema
import pytest
from conftest import VECTORS

import tenantry
from tenantry.settings import (
    ConcurrentUpdateError,
    SettingsError,
    SettingsSchema,
    SettingsValidationError,
    merge_patch,
)

SCHEMAS = VECTORS.parents[1] / "examples" / "schemas"


def load(name: str) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return data


VENUE = SettingsSchema(load("venue_settings"))


# ---- seed rules -----------------------------------------------------------------------------


def test_seed_000_defaults_and_rules() -> None:
    d = VENUE.defaults()
    assert d["ai_settings"] == {
        "enabled": False,
        "model_version": "claude-3-5-sonnet-20241022",
        "temperature": 0.7,
        "max_tokens": 500,
        "system_prompt": None,
        "auto_respond": False,
    }
    assert d["notification_settings"]["email_on_feedback"] is True
    for ok in (0, 0.0, 0.5, 1):
        VENUE.validate({"ai_settings": {"temperature": ok}})
    for bad, code in ((-0.01, "minimum"), (1.01, "maximum"), ("0.5", "type")):
        with pytest.raises(SettingsValidationError) as info:
            VENUE.validate({"ai_settings": {"temperature": bad}})
        assert info.value.errors[0]["path"] == "/ai_settings/temperature"
        assert info.value.errors[0]["code"] == code
    for ok in (100, 2000):
        VENUE.validate({"ai_settings": {"max_tokens": ok}})
    for bad in (99, 2001):
        with pytest.raises(SettingsValidationError):
            VENUE.validate({"ai_settings": {"max_tokens": bad}})
    VENUE.validate({"email_settings": {"from_email": "events@venue.example.com"}})
    with pytest.raises(SettingsValidationError) as info:
        VENUE.validate({"email_settings": {"from_email": "venue at example"}})
    assert info.value.errors == [
        {"path": "/email_settings/from_email", "code": "format", "message": info.value.errors[0]["message"]}
    ]


def test_error_shape_and_classes() -> None:
    with pytest.raises(tenantry.TenantryError) as info:
        VENUE.validate({"ai_settings": {"temperature": 9, "max_tokens": 1}, "x": 1})
    exc = info.value
    assert isinstance(exc, SettingsValidationError) and isinstance(exc, SettingsError)
    assert exc.code == "settings.validation_failed"
    assert {(e["path"], e["code"]) for e in exc.errors} == {
        ("/ai_settings/temperature", "maximum"),
        ("/ai_settings/max_tokens", "minimum"),
        ("/x", "additional_property"),
    }
    assert all(set(e) == {"path", "code", "message"} and e["message"] for e in exc.errors)
    assert issubclass(ConcurrentUpdateError, tenantry.TenantryError)


def test_sensitive_value_never_in_messages() -> None:
    schema = SettingsSchema(
        {"type": "object", "properties": {"token": {"type": "string", "x-sensitive": True, "pattern": "^tok_"}}}
    )
    with pytest.raises(SettingsValidationError) as info:
        schema.apply_patch({}, {"token": "hunter2-secret"}, role="admin")
    assert "hunter2" not in str(info.value) and "hunter2" not in repr(info.value.errors)
    ok = schema.apply_patch({}, {"token": "tok_abc"}, role="admin")
    assert ok.changes == [{"path": "/token", "before": None, "after": "********"}]
    assert schema.view(ok.value, "member") == {}


def test_concurrent_update_changes_nothing() -> None:
    stored = {"ai_settings": {"enabled": True}}
    tag = VENUE.etag(stored)
    first = VENUE.apply_patch(stored, {"ai_settings": {"temperature": 0.1}}, expected_etag=tag)
    with pytest.raises(ConcurrentUpdateError) as info:
        VENUE.apply_patch(first.overrides, {"ai_settings": {"temperature": 0.2}}, expected_etag=tag)
    assert info.value.code == "settings.concurrent_update"
    assert stored == {"ai_settings": {"enabled": True}}
    assert first.etag == VENUE.etag(json.dumps(first.overrides))


def test_inputs_as_dict_str_bytes_agree() -> None:
    schema_text = (SCHEMAS / "venue_settings.json").read_text(encoding="utf-8")
    for src in (load("venue_settings"), schema_text, schema_text.encode()):
        s = SettingsSchema(src)
        layer = {"ai_settings": {"enabled": True}}
        for form in (layer, json.dumps(layer), json.dumps(layer).encode()):
            r = s.resolve([("tenant", form)])
            assert r.value["ai_settings"]["enabled"] is True
            assert r.provenance["/ai_settings/enabled"] == "tenant"
    assert VENUE.resolve({"plan": {}, "tenant": {"custom_fields": {"a": 1}}}).provenance["/custom_fields/a"] == "tenant"


def test_shared_between_threads() -> None:
    results: List[Any] = []

    def work() -> None:
        for i in range(200):
            results.append(VENUE.resolve([("tenant", {"ai_settings": {"max_tokens": 100 + i}})]).value)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and all(r["ai_settings"]["temperature"] == 0.7 for r in results)


# ---- hostile input --------------------------------------------------------------------------


def nested(depth: int) -> Dict[str, Any]:
    doc: Dict[str, Any] = {}
    for _ in range(depth):
        doc = {"a": doc}
    return doc


FREE = SettingsSchema({"type": "object"})


@pytest.mark.parametrize(
    "patch, exc_type, code",
    [
        ([1, 2], SettingsError, "settings.invalid_patch"),
        ("[1, 2]", SettingsError, "settings.invalid_patch"),
        (b"42", SettingsError, "settings.invalid_patch"),
        ("{not json", tenantry.InvalidInputError, "input.invalid_json"),
        ({"x": math.nan}, tenantry.InvalidInputError, "input.invalid"),
        ({"x": math.inf}, tenantry.InvalidInputError, "input.invalid"),
        ({"x": 2**64}, tenantry.InvalidInputError, "input.invalid"),
        ({"x": -(2**63) - 1}, tenantry.InvalidInputError, "input.invalid"),
        (nested(100), SettingsValidationError, "settings.validation_failed"),
        (nested(500), tenantry.InvalidInputError, "input.invalid"),
        ({"blob": "x" * 1_000_000}, SettingsValidationError, "settings.validation_failed"),
        ({"k%d" % i: i for i in range(100_000)}, SettingsValidationError, "settings.validation_failed"),
    ],
    ids=["list", "json-list", "json-int", "bad-json", "nan", "inf", "2**64", "below-i64", "depth-100",
         "depth-500", "1MB-string", "100k-keys"],
)
def test_bad_patches_are_typed_errors_and_change_nothing(patch: Any, exc_type: type, code: str) -> None:
    stored = {"keep": {"me": [1, 2, 3]}}
    before = copy.deepcopy(stored)
    with pytest.raises(exc_type) as info:
        FREE.apply_patch(stored, patch)
    assert isinstance(info.value, tenantry.TenantryError)
    assert info.value.code == code
    assert stored == before


def test_too_deep_and_too_large_codes() -> None:
    with pytest.raises(SettingsValidationError) as info:
        FREE.validate(nested(100))
    assert info.value.errors[0]["code"] == "too_deep"
    with pytest.raises(SettingsValidationError) as info:
        FREE.validate({"blob": "x" * 1_000_000})
    assert info.value.errors[0]["code"] == "too_long"
    with pytest.raises(SettingsValidationError) as info:
        FREE.validate(json.dumps({f"k{i}": "v" * 100 for i in range(10_000)}))
    assert info.value.errors[0]["code"] == "too_large"


def test_non_string_keys_and_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        FREE.apply_patch({}, {1: "x"})
    with pytest.raises(TypeError):
        FREE.validate({"a": object()})
    with pytest.raises(TypeError):
        FREE.resolve(42)
    with pytest.raises(TypeError):
        FREE.resolve([("only-name",)])
    with pytest.raises(TypeError):
        FREE.resolve([(1, {})])
    with pytest.raises(TypeError):
        SettingsSchema(object())
    with pytest.raises(SettingsError) as info:
        SettingsSchema(5)
    assert info.value.code == "settings.invalid_schema"
    with pytest.raises(tenantry.InvalidInputError):
        FREE.apply_patch({}, {}, role="root")


def test_invalid_schema_reports_the_path() -> None:
    with pytest.raises(SettingsError) as info:
        SettingsSchema({"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"minimum": "x"}}}}})
    assert info.value.code == "settings.invalid_schema"
    assert info.value.errors[0]["path"].startswith("/properties/a/properties/b")


# ---- differential: python-jsonschema --------------------------------------------------------

DIFF_SCHEMA: Dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 3, "maxLength": 12, "pattern": "^[a-z][a-z0-9-]*$"},
        "temperature": {"type": "number", "minimum": 0, "maximum": 1},
        "max_tokens": {"type": "integer", "minimum": 100, "maximum": 2000},
        "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5},
        "plan": {"enum": ["free", "starter", "business", None]},
        "email": {"type": ["string", "null"], "format": "email"},
        "ip": {"type": "string", "format": "ipv4"},
        "ip6": {"type": "string", "format": "ipv6"},
        "id": {"type": "string", "format": "uuid"},
        "hook": {"type": "string", "format": "https-url"},
        "color": {"type": "string", "format": "hex-color"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "maxItems": 3, "uniqueItems": True},
        "nested": {
            "type": "object",
            "additionalProperties": {"type": "boolean"},
            "properties": {"depth": {"type": "integer", "minimum": 0}},
            "minProperties": 1,
        },
    },
}

# Per key: the first VALID[key] values are valid on their own, the rest are not.
POOLS: Dict[str, List[Any]] = {
    "name": ["acme", "ok-1", "ab", "a-very-long-name", "Acme", "x y", 7, None],
    "temperature": [0, 1, 0.5, -0.0001, 1.0001, 2, "0.5", True, None],
    "max_tokens": [100, 2000, 500.0, 99, 2001, 500.5, "500", False],
    "ratio": [0.5, 9.5, 3, 0, 10, 3.25, -1, "1"],
    "plan": ["free", "business", None, "gold", 1],
    "email": ["a@example.com", "first.last@sub.example.org", None, "no-at-sign", 3],
    "ip": ["192.168.1.1", "10.0.0.255", "10.0.0.256", "1.2.3", "::1", 4],
    "ip6": ["::1", "2001:db8::1", "2001:db8::g", "1:2:3:4:5:6:7:8:9", "192.168.0.1"],
    "id": ["6fa459ea-ee8a-3ca4-894e-db77e160355e", "not-a-uuid", "6fa459eaee8a3ca4894edb77e160355e", 5],
    "hook": ["https://example.com/a?b=c", "https://hooks.slack.com/services/T0/B0/x", "http://example.com",
             "javascript:alert(1)", "https://", "data:text/html,x", "https://exa mple.com"],
    "color": ["#000000", "#FFF", "#abcdef", "black", "#12345", "000000", "#GGGGGG"],
    "tags": [[], ["a"], ["a", "b", "c"], ["a", "a"], ["a", "b", "c", "d"], ["toolong"], [1], "a"],
    "nested": [{"depth": 1}, {"x": True}, {"depth": 1, "y": False}, {}, {"x": "yes"}, {"depth": -1}, []],
}
VALID = {"name": 2, "temperature": 3, "max_tokens": 3, "ratio": 3, "plan": 3, "email": 3, "ip": 2, "ip6": 2,
         "id": 1, "hook": 2, "color": 3, "tags": 3, "nested": 3}


def https_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(c.isspace() for c in value):
        return False
    parts = urllib.parse.urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def hex_color(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value) is not None


def peer_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("https-url")(https_url)
    checker.checks("hex-color")(hex_color)
    return checker


def generated_docs(seed: int, count: int) -> List[Any]:
    rng = random.Random(seed)
    docs: List[Any] = []
    for _ in range(count):
        doc: Dict[str, Any] = {}
        for key, pool in POOLS.items():
            if key == "name" and rng.random() < 0.9 or key != "name" and rng.random() < 0.5:
                choices = pool[: VALID[key]] if rng.random() < 0.9 else pool[VALID[key] :]
                doc[key] = copy.deepcopy(rng.choice(choices))
        if rng.random() < 0.1:
            doc["unknown"] = 1
        docs.append(doc)
    return docs


def test_validity_matches_python_jsonschema() -> None:
    schema = SettingsSchema(DIFF_SCHEMA)
    peer = jsonschema.Draft202012Validator(DIFF_SCHEMA, format_checker=peer_checker())
    verdicts = {True: 0, False: 0}
    mismatches = []
    for doc in generated_docs(seed=7, count=3000):
        try:
            schema.validate(doc)
            ours = True
        except SettingsValidationError:
            ours = False
        theirs = peer.is_valid(doc)
        verdicts[ours] += 1
        if ours != theirs:
            mismatches.append((doc, ours, theirs))
    assert not mismatches, mismatches[:5]
    assert verdicts[True] > 100 and verdicts[False] > 100, verdicts


def test_error_paths_match_python_jsonschema() -> None:
    schema = SettingsSchema(DIFF_SCHEMA)
    peer = jsonschema.Draft202012Validator(DIFF_SCHEMA, format_checker=peer_checker())
    for doc in generated_docs(seed=11, count=500):
        theirs = {
            "/" + "/".join(str(p) for p in e.absolute_path) if e.absolute_path else ""
            for e in peer.iter_errors(doc)
            if e.validator not in ("additionalProperties", "required")
        }
        try:
            schema.validate(doc)
            ours = set()
        except SettingsValidationError as exc:
            ours = {e["path"] for e in exc.errors if e["code"] not in ("additional_property", "required")}
        assert ours == theirs, doc


@pytest.mark.parametrize("name", ["venue_settings", "tenant_settings", "system_settings"])
def test_seed_schemas_agree_with_python_jsonschema(name: str) -> None:
    source = load(name)
    schema = SettingsSchema(source)
    peer = jsonschema.Draft202012Validator(source, format_checker=peer_checker())
    defaults = schema.defaults()
    assert peer.is_valid(defaults)
    rng = random.Random(name)
    checker = peer_checker()
    samples: List[Any] = [0, -1, 5000, 0.5, 1.5, "", "x", "#fff", "https://ok.example/x", "http://no.example",
                          "a@example.com", "nope", True, None, [], ["10.0.0.1"], [".csv"], {}]
    for _ in range(600):
        doc = copy.deepcopy(defaults)
        paths = [f["key"] for f in schema.entries(doc, "admin")]
        key = rng.choice(paths).split(".")
        target = doc
        for part in key[:-1]:
            target = target[part]
        target[key[-1]] = copy.deepcopy(rng.choice(samples))
        node = source
        for part in key:
            node = node["properties"][part]
        if node.get("format") not in (None, *checker.checkers):
            # python-jsonschema checks hostname/uri/date-time only with optional extras installed;
            # ajv-formats covers them in the Node suite.
            continue
        try:
            schema.validate(doc)
            ours = True
        except SettingsValidationError:
            ours = False
        assert ours == peer.is_valid(doc), (key, target[key[-1]])


# ---- differential: RFC 7396 ------------------------------------------------------------------


def rfc7396(target: Any, patch: Any) -> Any:
    """Straight from RFC 7396 section 2 pseudocode."""
    if isinstance(patch, dict):
        if not isinstance(target, dict):
            target = {}
        else:
            target = dict(target)
        for name, value in patch.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = rfc7396(target.get(name), value)
        return target
    return patch


def random_json(rng: random.Random, depth: int, nulls: bool) -> Any:
    kind = rng.random()
    if depth <= 0 or kind < 0.35:
        return rng.choice([1, 2.5, "s", True, False, [1, {"a": None}], []] + ([None, None] if nulls else []))
    return {rng.choice("abcde"): random_json(rng, depth - 1, nulls) for _ in range(rng.randint(0, 4))}


def test_merge_matches_independent_rfc7396() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        target = random_json(rng, 4, nulls=False)
        patch = random_json(rng, 4, nulls=True)
        assert merge_patch(target, patch) == rfc7396(target, patch), (target, patch)
        if isinstance(target, dict) and isinstance(patch, dict):
            result = FREE.apply_patch(target, patch, role="system")
            assert result.overrides == rfc7396(target, patch)
            assert result.etag == FREE.etag(rfc7396(target, patch))


def test_results_hand_out_new_dicts_so_a_caller_cannot_change_them() -> None:
    # One dict was cached and handed out: changing it changed the result for every later read,
    # and p.overrides no longer matched p.etag.
    schema = SettingsSchema({"type": "object", "properties": {"a": {"type": "integer", "default": 1}}})
    patched = schema.apply_patch({}, {"a": 2})
    patched.overrides["a"] = 7
    patched.value["a"] = 7
    assert patched.overrides == {"a": 2} and patched.value == {"a": 2}
    assert patched.etag == schema.etag(patched.overrides)
    resolved = schema.resolve([("tenant", {"a": 3})])
    resolved.value["a"] = 9
    resolved.provenance["/a"] = "forged"
    assert resolved.value == {"a": 3} and resolved.provenance == {"/a": "tenant"}
    migrated = schema.migrate({"a": 4, "gone": 1})
    migrated.dropped.append("/x")
    assert migrated.dropped == ["/gone"]


def test_a_document_encoded_twice_is_refused_not_read_as_defaults() -> None:
    # JSON text of JSON text is a JSON string: entries and get showed every default, view gave
    # the string back.
    schema = SettingsSchema({"type": "object", "properties": {"a": {"type": "integer", "default": 1}}})
    twice = json.dumps(json.dumps({"a": 2}))
    for call in (lambda: schema.entries(twice), lambda: schema.get(twice, "a"), lambda: schema.view(twice)):
        with pytest.raises(tenantry.SettingsError, match="^a settings document must be a JSON object, not a string$"):
            call()
    assert schema.get(json.dumps({"a": 2}), "a") == 2


def test_documents_as_bytes_are_their_json_text() -> None:
    # Node reads a Buffer so too (json-bytes.test.js pins the same etag and error words).
    schema = SettingsSchema(json.dumps({"type": "object", "properties": {
        "a": {"type": "integer", "default": 1}, "b": {"type": "string", "default": "x"}}}).encode())
    doc = '{"a": 2, "b": "\u00e9"}'
    assert schema.etag(doc.encode()) == schema.etag(doc) == \
        "ff3e313366d233bb6858e954b99bef40c4bcd340bd99586794a12c248d9052e3"
    assert schema.view(doc.encode()) == {"a": 2, "b": "\u00e9"}
    with pytest.raises(tenantry.InvalidInputError) as info:
        schema.view(b'{"a":"\xff"}')
    assert (info.value.code, str(info.value)) == (
        "input.invalid_json", "invalid JSON text: invalid unicode code point at line 1 column 7")


def test_results_repr_shows_no_setting_value() -> None:
    # A repr lands in logs and in error trackers' captured locals: no secret may be in it.
    s = SettingsSchema({"type": "object", "properties": {
        "smtp_password": {"type": "string", "x-sensitive": True},
        "tokens": {"type": "object", "x-sensitive": True, "additionalProperties": {"type": "integer"}}}})
    patched = s.apply_patch({}, {"smtp_password": "hunter2", "tokens": {"sk_live_1": 1}}, role="admin")
    resolved = s.resolve([("tenant", patched.overrides)])
    migrated = s.migrate({"tokens": {"sk_live_2": "x"}, "other": 1})
    for text in (repr(patched), repr(resolved), repr(migrated)):
        assert "hunter2" not in text and "sk_live" not in text, text
    assert repr(resolved) == "Resolution(value=<2 keys>)"
    assert repr(patched) == f"PatchResult(overrides=<2 keys>, changes=<2 changes>, etag={patched.etag!r})".replace("'", '"')
    assert repr(migrated) == "Migration(dropped=<1 path>, reset=<1 issue>)"


def test_nothing_inside_a_sensitive_setting_is_named() -> None:
    # Member names inside a secret may be secrets (tokens keyed by token): issues, changes and a
    # migration's paths stop at the setting.
    s = SettingsSchema({"type": "object", "properties": {
        "tokens": {"type": "object", "x-sensitive": True, "additionalProperties": {"type": "integer"}}}})
    with pytest.raises(tenantry.SettingsValidationError) as info:
        s.validate({"tokens": {"sk_live_SECRET": "x"}})
    assert info.value.errors == [{"path": "/tokens", "code": "type", "message": 'value is not of type "integer"'}]
    assert "SECRET" not in str(info.value)
    changes = s.apply_patch({"tokens": {"sk_old": 1}}, {"tokens": {"sk_new": 2}}, role="admin").changes
    assert changes == [{"path": "/tokens", "before": "********", "after": "********"}]
    assert s.migrate({"tokens": {"sk_a": "x", "sk_b": "y"}}).reset == [
        {"path": "/tokens", "code": "type", "message": 'value is not of type "integer"'}]
