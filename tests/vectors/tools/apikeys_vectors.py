"""Writes tests/vectors/apikeys.json from an independent, stdlib-only model of the API key format.

The expected tokens, checksums, hashes and masked forms below are computed with zlib.crc32, hmac
and a base62 encoder written here, not with tenantry, so the vectors check the Rust core (and
through it Python and Node) against the spec in issue 3. Run: python3 tests/vectors/tools/apikeys_vectors.py
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import pathlib
import zlib
from typing import Any, Dict, List, Optional

import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from messages import pin_messages  # noqa: E402

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
OUT = pathlib.Path(__file__).resolve().parents[1] / "apikeys.json"


def b62(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 62)
        out = ALPHABET[r] + out
    return out


def body(random: bytes) -> str:
    assert len(random) == 30
    content = b62(int.from_bytes(random[:8], "big"), 11) + b62(int.from_bytes(random[8:], "big"), 30)
    return content + b62(zlib.crc32(content.encode()), 6)


def hmac_hex(pepper: str, token: str) -> str:
    return hmac.new(pepper.encode(), token.encode(), hashlib.sha256).hexdigest()


PEPPERS = {"p1": "pepper-one-0123456789abcdef0123456", "p2": "pepper-two-fedcba9876543210fedcba9"}
BASE = {"prefix": "tk", "peppers": {"p1": PEPPERS["p1"]}, "current_pepper": "p1"}
ROTATED = {"prefix": "tk", "peppers": dict(PEPPERS), "current_pepper": "p2"}
ENVS = {**BASE, "environments": ["live", "test"]}
KNOWN = {**BASE, "known_scopes": ["settings:read", "settings:write", "webhooks:read", "webhooks:write"]}
NOW = 1_700_000_000


def issue(config: Dict[str, Any], random: bytes, environment: str = "live", scopes: Optional[List[str]] = None,
          expires_at: Optional[int] = None, not_before: Optional[int] = None, name: Optional[str] = None,
          now: int = NOW) -> Dict[str, Any]:
    b = body(random)
    token = f"{config['prefix']}_{environment}_{b}"
    pepper_id = config["current_pepper"]
    record = {
        "key_id": b[:11],
        "hash": hmac_hex(config["peppers"][pepper_id], token),
        "pepper_id": pepper_id,
        "environment": environment,
        "scopes": list(scopes or []),
        "name": name,
        "created_at": now,
        "expires_at": expires_at,
        "not_before": not_before,
        "revoked_at": None,
        "disabled": False,
        "last_used_at": None,
        "masked": f"{config['prefix']}_{environment}_{b[:4]}\u2026{b[-4:]}",
    }
    return {"token": token, "record": record}


def verdict(code: str, key_id: Optional[str] = None, environment: Optional[str] = None,
            missing: Optional[List[str]] = None, rehash: Optional[Dict[str, str]] = None,
            touch: bool = False) -> Dict[str, Any]:
    return {"valid": code == "VALID", "code": code, "key_id": key_id, "environment": environment,
            "missing_scopes": missing or [], "rehash": rehash, "touch": touch}


def rnd(seed: int) -> bytes:
    return bytes((seed * 37 + i * 11) % 256 for i in range(30))


cases: List[Dict[str, Any]] = []


def case(name: str, op: str, inp: Dict[str, Any], expect: Any = None, error: Optional[str] = None) -> None:
    c: Dict[str, Any] = {"name": name, "op": op, "input": inp}
    if error is not None:
        c["error"] = error
    else:
        c["expect"] = expect
    cases.append(c)


# ---- config ---------------------------------------------------------------------------------
case("valid config", "new", {"config": BASE}, None)
case("uppercase prefix", "new", {"config": {**BASE, "prefix": "TK"}}, error="apikey.invalid_config")
case("prefix with underscore", "new", {"config": {**BASE, "prefix": "t_k"}}, error="apikey.invalid_config")
case("prefix too long", "new", {"config": {**BASE, "prefix": "a" * 17}}, error="apikey.invalid_config")
case("short pepper", "new", {"config": {**BASE, "peppers": {"p1": "short"}}}, error="apikey.invalid_config")
case("no peppers", "new", {"config": {**BASE, "peppers": {}}}, error="apikey.invalid_config")
case("unknown current pepper", "new", {"config": {**BASE, "current_pepper": "p9"}}, error="apikey.invalid_config")
case("several peppers, no current", "new", {"config": {"prefix": "tk", "peppers": PEPPERS}},
     error="apikey.invalid_config")
case("bad environment tag", "new", {"config": {**BASE, "environments": ["Live"]}}, error="apikey.invalid_config")
case("wildcard in known scopes", "new", {"config": {**BASE, "known_scopes": ["settings:*"]}},
     error="apikey.invalid_config")
case("negative touch interval", "new", {"config": {**BASE, "touch_interval": -1}}, error="apikey.invalid_config")

# ---- generate -------------------------------------------------------------------------------
zero = issue(BASE, bytes(30))
case("all-zero randomness", "generate", {"config": BASE, "random_hex": "00" * 30, "now": NOW}, zero)
ones = issue(BASE, b"\xff" * 30)
case("all-ones randomness", "generate", {"config": BASE, "random_hex": "ff" * 30, "now": NOW}, ones)
full = issue(ENVS, rnd(1), environment="test", scopes=["webhooks:write", "settings:*", "*:read"],
             expires_at=NOW + 86400, not_before=NOW + 60, name="CI deploy key")
case("test environment, scopes, window, name", "generate",
     {"config": ENVS, "random_hex": rnd(1).hex(), "environment": "test",
      "scopes": ["webhooks:write", "settings:*", "*:read"], "expires_at": NOW + 86400, "not_before": NOW + 60,
      "name": "CI deploy key", "now": NOW}, full)
custom = issue({**BASE, "prefix": "acme"}, rnd(2), environment="eu2", scopes=["*"])
case("custom prefix and environment, wildcard scope", "generate",
     {"config": {**BASE, "prefix": "acme"}, "random_hex": rnd(2).hex(), "environment": "eu2", "scopes": ["*"],
      "now": NOW}, custom)
rot = issue(ROTATED, rnd(3), scopes=["settings:read"])
case("hashed with the current pepper", "generate",
     {"config": ROTATED, "random_hex": rnd(3).hex(), "scopes": ["settings:read"], "now": NOW}, rot)
case("environment not in config", "generate",
     {"config": ENVS, "random_hex": rnd(1).hex(), "environment": "staging", "now": NOW},
     error="apikey.invalid_config")
case("environment with uppercase", "generate",
     {"config": BASE, "random_hex": rnd(1).hex(), "environment": "Live", "now": NOW}, error="apikey.invalid_config")
for bad in ["webhooks", "webhooks:write:all", "Webhooks:write", "webhooks:", ":write", "web hooks:write", "**", ""]:
    case(f"invalid scope {bad!r}", "generate",
         {"config": BASE, "random_hex": rnd(1).hex(), "scopes": [bad], "now": NOW}, error="apikey.invalid_scope")
case("unknown scope with a vocabulary", "generate",
     {"config": KNOWN, "random_hex": rnd(1).hex(), "scopes": ["audit:read"], "now": NOW},
     error="apikey.invalid_scope")
case("wildcard covering no known scope", "generate",
     {"config": KNOWN, "random_hex": rnd(1).hex(), "scopes": ["audit:*"], "now": NOW}, error="apikey.invalid_scope")
known_ok = issue(KNOWN, rnd(4), scopes=["settings:*", "webhooks:read"])
case("known scopes and covering wildcard", "generate",
     {"config": KNOWN, "random_hex": rnd(4).hex(), "scopes": ["settings:*", "webhooks:read"], "now": NOW}, known_ok)
case("expiry not after now", "generate",
     {"config": BASE, "random_hex": rnd(1).hex(), "expires_at": NOW, "now": NOW}, error="input.invalid")
case("control character in name", "generate",
     {"config": BASE, "random_hex": rnd(1).hex(), "name": "a\nb", "now": NOW}, error="input.invalid")

# ---- parse / hash_token / pattern -------------------------------------------------------------
t = full["token"]
case("parse a generated token", "parse", {"config": ENVS, "token": t},
     {"environment": "test", "key_id": full["record"]["key_id"]})
case("parse all-zero token", "parse", {"config": BASE, "token": zero["token"]},
     {"environment": "live", "key_id": "0" * 11})
last = t[-1]
typo = t[:-1] + ("a" if last != "a" else "b")
case("checksum mismatch", "parse", {"config": ENVS, "token": typo}, error="apikey.bad_checksum")
i = next(i for i in range(20, len(t) - 7) if t[i] != t[i + 1])
case("swapped body characters", "parse", {"config": ENVS, "token": t[:i] + t[i + 1] + t[i] + t[i + 2:]},
     error="apikey.bad_checksum")
malformed = {
    "empty": "",
    "wrong prefix": "xx" + t[2:],
    "truncated": t[:-1],
    "extended": t + "0",
    "no environment": "tk_" + t.split("_")[2],
    "environment outside config": t.replace("_test_", "_prod_"),
    "non-base62 body": t[:-3] + "-" + t[-2:],
    "non-ASCII": t[:-1] + "\u00e9",
    "only underscores": "___",
    "10 KB": "tk_live_" + "a" * 10240,
    "whitespace around": " " + t,
}
for label, bad in malformed.items():
    case(f"malformed: {label}", "parse", {"config": ENVS, "token": bad}, error="apikey.malformed")
case("hash_token", "hash_token", {"config": ROTATED, "token": t}, hmac_hex(PEPPERS["p2"], t))
case("hash_token of any string", "hash_token", {"config": BASE, "token": "not a token"},
     hmac_hex(PEPPERS["p1"], "not a token"))
case("pattern, any environment", "secret_scanning_pattern", {"config": BASE},
     "tk_[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{47}")
case("pattern, listed environments", "secret_scanning_pattern", {"config": ENVS},
     "tk_(?:live|test)_[0-9A-Za-z]{47}")
case("pattern, one environment", "secret_scanning_pattern", {"config": {**BASE, "environments": ["live"]}},
     "tk_live_[0-9A-Za-z]{47}")

# ---- verify ---------------------------------------------------------------------------------
k = issue(BASE, rnd(5), scopes=["settings:read", "webhooks:*"])
tok, rec = k["token"], k["record"]
kid = rec["key_id"]


def with_(record: Dict[str, Any], **changes: Any) -> Dict[str, Any]:
    out = copy.deepcopy(record)
    out.update(changes)
    return out


def vcase(name: str, token: str, record: Optional[Dict[str, Any]], expect: Any = None, *, config: Any = BASE,
          required: Optional[List[Any]] = None, environment: Optional[str] = None, now: int = NOW + 100,
          error: Optional[str] = None) -> None:
    inp: Dict[str, Any] = {"config": config, "token": token, "record": record, "now": now}
    if required is not None:
        inp["required_scopes"] = required
    if environment is not None:
        inp["environment"] = environment
    case(name, "verify", inp, expect, error)


vcase("valid, no scopes required", tok, rec, verdict("VALID", kid, "live", touch=True))
vcase("valid, scopes met", tok, rec, verdict("VALID", kid, "live", touch=True),
      required=["settings:read", "webhooks:write"])
vcase("valid, any-of group met", tok, rec, verdict("VALID", kid, "live", touch=True),
      required=[["settings:write", "webhooks:admin"]])
vcase("malformed", "tk_live_short", rec, verdict("MALFORMED"))
vcase("malformed: empty", "", rec, verdict("MALFORMED"))
vcase("malformed: 10 KB", "tk_live_" + "A" * 10240, rec, verdict("MALFORMED"))
vcase("malformed: wrong prefix", "zz" + tok[2:], rec, verdict("MALFORMED"))
vcase("malformed: non-ASCII", tok[:-1] + "\u00fc", rec, verdict("MALFORMED"))
vcase("bad checksum", tok[:-1] + ("a" if tok[-1] != "a" else "b"), rec, verdict("BAD_CHECKSUM"))
vcase("no record", tok, None, verdict("NOT_FOUND", kid, "live"))
other = issue(BASE, rnd(6))
vcase("record of another key", tok, other["record"], verdict("NOT_FOUND", kid, "live"))
vcase("hash mismatch", tok, with_(rec, hash="0" * 64), verdict("NOT_FOUND", kid, "live"))
vcase("revoked", tok, with_(rec, revoked_at=NOW + 50), verdict("REVOKED", kid, "live"))
vcase("revoked beats disabled and expired", tok, with_(rec, revoked_at=NOW, disabled=True, expires_at=NOW + 1),
      verdict("REVOKED", kid, "live"))
vcase("disabled", tok, with_(rec, disabled=True), verdict("DISABLED", kid, "live"))
vcase("expired", tok, with_(rec, expires_at=NOW + 100), verdict("EXPIRED", kid, "live"))
vcase("one second before expiry", tok, with_(rec, expires_at=NOW + 101), verdict("VALID", kid, "live", touch=True))
vcase("not yet valid", tok, with_(rec, not_before=NOW + 101), verdict("NOT_YET_VALID", kid, "live"))
vcase("valid from not_before", tok, with_(rec, not_before=NOW + 100), verdict("VALID", kid, "live", touch=True))
vcase("environment the service does not accept", tok, rec, verdict("ENVIRONMENT_MISMATCH", kid, "live"),
      environment="test")
vcase("environment the service accepts", tok, rec, verdict("VALID", kid, "live", touch=True), environment="live")
vcase("record environment differs", tok, with_(rec, environment="test"), verdict("ENVIRONMENT_MISMATCH", kid, "live"))
vcase("insufficient scope", tok, rec,
      verdict("INSUFFICIENT_SCOPE", kid, "live", missing=["settings:write", "audit:read"]),
      required=["settings:write", "webhooks:delete", "audit:read"])
vcase("any-of group unmet", tok, rec,
      verdict("INSUFFICIENT_SCOPE", kid, "live", missing=["audit:read", "audit:write"]),
      required=["settings:read", ["audit:read", "audit:write"]])
vcase("empty granted scopes grant nothing", tok, with_(rec, scopes=[]),
      verdict("INSUFFICIENT_SCOPE", kid, "live", missing=["settings:read"]), required=["settings:read"])
vcase("star grants everything", tok, with_(rec, scopes=["*"]), verdict("VALID", kid, "live", touch=True),
      required=["audit:read", "billing:write"])
vcase("*:action grants that action everywhere", tok, with_(rec, scopes=["*:read"]),
      verdict("INSUFFICIENT_SCOPE", kid, "live", missing=["audit:write"]), required=["billing:read", "audit:write"])
vcase("recently used: no touch", tok, with_(rec, last_used_at=NOW + 41), verdict("VALID", kid, "live"))
vcase("used a minute ago: touch", tok, with_(rec, last_used_at=NOW + 40), verdict("VALID", kid, "live", touch=True))
vcase("custom touch interval", tok, with_(rec, last_used_at=NOW + 40), verdict("VALID", kid, "live"),
      config={**BASE, "touch_interval": 3600})
# A last use later than now (stored by a clock ahead of this one): touched, to set it right, where
# it held every write back until that time came.
vcase("used later than now: touch", tok, with_(rec, last_used_at=NOW + 100_000), verdict("VALID", kid, "live", touch=True))
# Pepper rotation: a record hashed with p1, verified by a config whose current pepper is p2.
vcase("older pepper: valid with rehash", tok, rec,
      verdict("VALID", kid, "live", rehash={"hash": hmac_hex(PEPPERS["p2"], tok), "pepper_id": "p2"}, touch=True),
      config=ROTATED)
vcase("upgraded record verifies without rehash", tok,
      with_(rec, hash=hmac_hex(PEPPERS["p2"], tok), pepper_id="p2"), verdict("VALID", kid, "live", touch=True),
      config=ROTATED)
vcase("retired pepper", tok, rec, error="apikey.unknown_pepper",
      config={"prefix": "tk", "peppers": {"p2": PEPPERS["p2"]}, "current_pepper": "p2"})
vcase("wildcard required scope", tok, rec, required=["settings:*"], error="apikey.invalid_scope")
vcase("malformed required scope", tok, rec, required=["settings"], error="apikey.invalid_scope")
vcase("empty any-of group", tok, rec, required=[[]], error="apikey.invalid_scope")
vcase("required scope outside the vocabulary", tok, rec, required=["audit:read"], config=KNOWN,
      error="apikey.invalid_scope")
vcase("required scope errors come before token checks", "garbage", rec, required=["nope"],
      error="apikey.invalid_scope")
vcase("record with a bad hash", tok, with_(rec, hash="XYZ"), error="apikey.invalid_record")
vcase("record with a bad scope", tok, with_(rec, scopes=["everything"]), error="apikey.invalid_record")
rec_missing = copy.deepcopy(rec)
del rec_missing["hash"]
vcase("record without hash", tok, rec_missing, error="apikey.invalid_record")
vcase("record with a wrong type", tok, with_(rec, created_at="yesterday"), error="apikey.invalid_record")
minimal = {key: rec[key] for key in ("key_id", "hash", "pepper_id", "environment", "scopes", "created_at")}
vcase("minimal record (optional fields omitted)", tok, minimal, verdict("VALID", kid, "live", touch=True))
camel = {"keyId": kid, "hash": rec["hash"], "pepperId": "p1", "environment": "live", "scopes": rec["scopes"],
         "createdAt": NOW, "expiresAt": NOW + 100, "lastUsedAt": None}
vcase("camelCase record (as the Node package writes it)", tok, camel, verdict("EXPIRED", kid, "live"))

# ---- roll / revoke --------------------------------------------------------------------------
new = issue(BASE, rnd(7), scopes=rec["scopes"], now=NOW + 1000)
case("roll", "roll", {"config": BASE, "random_hex": rnd(7).hex(), "record": rec, "grace": 3600, "now": NOW + 1000},
     {**new, "previous": with_(rec, expires_at=NOW + 4600)})
named = with_(issue(BASE, rnd(8), environment="test", scopes=["*"], name="ops")["record"], expires_at=NOW + 2000)
new2 = issue(BASE, rnd(9), environment="test", scopes=["*"], name="ops", expires_at=NOW + 90000, now=NOW + 1000)
case("roll keeps the earlier expiry and sets the new one", "roll",
     {"config": BASE, "random_hex": rnd(9).hex(), "record": named, "grace": 3600, "now": NOW + 1000,
      "expires_at": NOW + 90000}, {**new2, "previous": named})
new3 = issue(ROTATED, rnd(10), scopes=rec["scopes"], now=NOW + 1000)
case("roll hashes the new key with the current pepper", "roll",
     {"config": ROTATED, "random_hex": rnd(10).hex(), "record": rec, "grace": 0, "now": NOW + 1000},
     {**new3, "previous": with_(rec, expires_at=NOW + 1000)})
case("negative grace", "roll", {"config": BASE, "random_hex": rnd(7).hex(), "record": rec, "grace": -1, "now": NOW},
     error="input.invalid")
# A key that no longer verifies is not rolled: its new key would bring its access back.
for state, changed in (("revoked", {"revoked_at": NOW + 5}), ("disabled", {"disabled": True}),
                       ("expired", {"expires_at": NOW + 1000})):
    case(f"roll of a {state} key", "roll",
         {"config": BASE, "random_hex": rnd(7).hex(), "record": with_(rec, **changed), "grace": 3600, "now": NOW + 1000},
         error="apikey.inactive")
# A key that starts later hands over no earlier access: the new key starts then too.
later = with_(rec, not_before=NOW + 5000)
new4 = issue(BASE, rnd(7), scopes=rec["scopes"], not_before=NOW + 5000, now=NOW + 1000)
case("roll of a key not valid yet keeps its start", "roll",
     {"config": BASE, "random_hex": rnd(7).hex(), "record": later, "grace": 3600, "now": NOW + 1000},
     {**new4, "previous": with_(later, expires_at=NOW + 4600)})
case("revoke", "revoke", {"config": BASE, "record": rec, "now": NOW + 5}, with_(rec, revoked_at=NOW + 5))
case("revoke keeps the first revocation", "revoke",
     {"config": BASE, "record": with_(rec, revoked_at=NOW + 1), "now": NOW + 5}, with_(rec, revoked_at=NOW + 1))

# ---- interop: keys issued by the Node and Python packages (real CSPRNG), checked here ---------
for item in json.loads((pathlib.Path(__file__).with_name("apikeys_interop.json")).read_text(encoding="utf-8")):
    itok, irec, source = item["token"], item["record"], item["source"]
    _, ienv, ibody = itok.split("_")
    assert ibody[-6:] == b62(zlib.crc32(ibody[:-6].encode()), 6)
    assert irec["hash"] == hmac_hex(PEPPERS["p1"], itok)
    ikid = irec.get("key_id", irec.get("keyId"))
    assert ikid == ibody[:11]
    case(f"interop: parse a key issued by {source} ({ienv})", "parse", {"config": BASE, "token": itok},
         {"environment": ienv, "key_id": ikid})
    vcase(f"interop: verify a key issued by {source} ({ienv})", itok, irec,
          verdict("VALID", ikid, ienv, touch=True), required=["settings:read"])

# ---- messages -------------------------------------------------------------------------------
# The message each error case must carry, by case name. Unlike the expected values above these are
# not derived here: they are the implementation's words (the core's, which the Python and Node
# packages pass on unchanged), pinned so that every runner compares them and a change of wording
# is a visible change of the vectors. Every error case needs one; an entry no case uses fails.
MESSAGES: Dict[str, str] = {
    "uppercase prefix": "prefix \"TK\" must match [a-z][a-z0-9]{0,15}",
    "prefix with underscore": "prefix \"t_k\" must match [a-z][a-z0-9]{0,15}",
    "prefix too long": "prefix \"aaaaaaaaaaaaaaaaa\" must match [a-z][a-z0-9]{0,15}",
    "short pepper": "pepper \"p1\" has 5 bytes; at least 16 are required (32 random bytes recommended)",
    "no peppers": "at least one pepper is required",
    "unknown current pepper": "the current pepper must be the id of one of the peppers (p1)",
    "several peppers, no current": "several peppers are configured: name the current one",
    "bad environment tag": "environment \"Live\" must match [a-z][a-z0-9]{0,15}",
    "wildcard in known scopes": "known scope \"settings:*\" must be a concrete resource:action (no wildcards)",
    "negative touch interval": "touch_interval must be zero or more seconds",
    "environment not in config": "environment \"staging\" is not allowed (expected a tag matching [a-z][a-z0-9]{0,15} from [\"live\", \"test\"])",
    "environment with uppercase": "environment \"Live\" is not allowed (expected a tag matching [a-z][a-z0-9]{0,15})",
    "invalid scope 'webhooks'": "scope \"webhooks\" is not resource:action, resource:*, *:action or *",
    "invalid scope 'webhooks:write:all'": "scope \"webhooks:write:all\" is not resource:action, resource:*, *:action or *",
    "invalid scope 'Webhooks:write'": "scope \"Webhooks:write\" is not resource:action, resource:*, *:action or *",
    "invalid scope 'webhooks:'": "scope \"webhooks:\" is not resource:action, resource:*, *:action or *",
    "invalid scope ':write'": "scope \":write\" is not resource:action, resource:*, *:action or *",
    "invalid scope 'web hooks:write'": "scope \"web hooks:write\" is not resource:action, resource:*, *:action or *",
    "invalid scope '**'": "scope \"**\" is not resource:action, resource:*, *:action or *",
    "invalid scope ''": "scope \"\" is not resource:action, resource:*, *:action or *",
    "unknown scope with a vocabulary": "scope \"audit:read\" does not name or cover any known scope",
    "wildcard covering no known scope": "scope \"audit:*\" does not name or cover any known scope",
    "expiry not after now": "expires_at must be later than now",
    "control character in name": "key name must be at most 256 characters without control characters",
    "checksum mismatch": "API key checksum does not match: the token was mistyped, truncated or is not one of ours",
    "swapped body characters": "API key checksum does not match: the token was mistyped, truncated or is not one of ours",
    "malformed: empty": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: wrong prefix": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: truncated": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: extended": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: no environment": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: environment outside config": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: non-base62 body": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: non-ASCII": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: only underscores": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: 10 KB": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "malformed: whitespace around": "not an API key of this format (expected prefix_environment_body with a 47-character base62 body)",
    "retired pepper": "the record was hashed with pepper \"p1\", which is not configured",
    "wildcard required scope": "required scope \"settings:*\" is not a concrete resource:action (wildcards are only granted)",
    "malformed required scope": "required scope \"settings\" is not a concrete resource:action (wildcards are only granted)",
    "empty any-of group": "an any-of scope group must list at least one scope",
    "required scope outside the vocabulary": "required scope \"audit:read\" is not one of the known scopes",
    "required scope errors come before token checks": "required scope \"nope\" is not a concrete resource:action (wildcards are only granted)",
    "record with a bad hash": "invalid key record: hash must be 64 lowercase hex digits",
    "record with a bad scope": "invalid key record: scope \"everything\" is not a valid scope",
    "record without hash": "invalid key record: missing field `hash`",
    "record with a wrong type": "invalid key record: invalid type: string \"yesterday\", expected i64",
    "negative grace": "grace must be zero or more seconds",
    "roll of a revoked key": "key FwqGHTLKVoU is revoked: only a key that still verifies can be rolled (issue a new key)",
    "roll of a disabled key": "key FwqGHTLKVoU is disabled: only a key that still verifies can be rolled (issue a new key)",
    "roll of a expired key": "key FwqGHTLKVoU is expired: only a key that still verifies can be rolled (issue a new key)",
}
pin_messages(cases, MESSAGES)

doc = {
    "capability": "apikeys",
    "description": (
        "API keys: token format, checksum, peppered hash, verdicts, scopes, rotation. Expected values are "
        "computed by tests/vectors/tools/apikeys_vectors.py with zlib.crc32, hmac and its own base62 encoder. "
        "config.peppers maps pepper ids to UTF-8 text; random_hex is the 30 random bytes of a token; verify "
        "verdicts and records are given in snake_case (Node runners convert to camelCase)."
    ),
    "cases": cases,
}
OUT.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote {len(cases)} cases to {OUT}")
