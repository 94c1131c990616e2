"""Settings resolve on seed 000's venue-settings schema with a small tenant override: tenantry
(defaults + merge + validate + provenance -> dict) against pydantic v2 (validate + dump),
python-jsonschema (validate alone) and fastjsonschema (validate + defaults).

`rows()` for run.py (best of interleaved timeit runs); runs alone as a table.
"""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any, Dict, List, Optional

import fastjsonschema
import jsonschema
import pydantic

from _timing import Row, best_us, print_table
from tenantry.settings import SettingsSchema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA: Dict[str, Any] = json.loads((ROOT / "examples" / "schemas" / "venue_settings.json").read_text())
OVERRIDE: Dict[str, Any] = {"ai_settings": {"enabled": True, "temperature": 0.3}, "email_settings": {"from_email": "events@venue.example.com"}}
OVERRIDE_TEXT = json.dumps(OVERRIDE)


class AISettings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", protected_namespaces=())
    enabled: bool = False
    model_version: str = pydantic.Field("claude-3-5-sonnet-20241022", min_length=1, max_length=100)
    temperature: float = pydantic.Field(0.7, ge=0, le=1)
    max_tokens: int = pydantic.Field(500, ge=100, le=2000)
    system_prompt: Optional[str] = pydantic.Field(None, max_length=4000)
    auto_respond: bool = False


class EmailSettings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    enabled: bool = False
    # pydantic's EmailStr needs the email-validator package; a pattern stands in for it.
    from_email: Optional[str] = pydantic.Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    reply_to: Optional[str] = pydantic.Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    signature: Optional[str] = pydantic.Field(None, max_length=2000)
    auto_send: bool = False


class NotificationSettings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    email_on_feedback: bool = True
    email_on_response: bool = False
    slack_webhook: Optional[pydantic.HttpUrl] = None


class VenueSettings(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    ai_settings: AISettings = AISettings()
    email_settings: EmailSettings = EmailSettings()
    notification_settings: NotificationSettings = NotificationSettings()
    custom_fields: Dict[str, Any] = {}


def rows() -> List[Row]:
    ours = SettingsSchema(SCHEMA)
    defaults = ours.defaults()

    def merged(layer: Dict[str, Any]) -> Dict[str, Any]:
        doc = copy.deepcopy(defaults)
        for k, v in layer.items():
            doc[k] = {**doc[k], **v} if isinstance(v, dict) else v
        return doc

    peer_js = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    fast_schema = dict(SCHEMA)
    fast = fastjsonschema.compile(fast_schema, formats={"https-url": r"^https://", "hex-color": r"^#"}, use_default=True)
    effective = ours.resolve([("tenant", OVERRIDE)]).value

    # Every implementation accepts the document and agrees on the result before anything is timed.
    assert effective == merged(OVERRIDE)
    assert VenueSettings.model_validate(OVERRIDE).model_dump(mode="json") == effective
    peer_js.validate(effective)
    assert fast(copy.deepcopy(OVERRIDE))["ai_settings"]["temperature"] == 0.3

    r = best_us(
        {
            "dict": lambda: ours.resolve([("tenant", OVERRIDE)]).value,
            "text": lambda: ours.resolve([("tenant", OVERRIDE_TEXT)]).value,
            "full": lambda: (lambda res: (res.value, res.provenance))(ours.resolve([("tenant", OVERRIDE)])),
            "validate": lambda: ours.validate(effective),
            "patch": lambda: ours.apply_patch(OVERRIDE, {"ai_settings": {"max_tokens": 900}}).value,
            "pydantic": lambda: VenueSettings.model_validate(OVERRIDE).model_dump(),
            "pydantic json": lambda: VenueSettings.model_validate_json(OVERRIDE_TEXT).model_dump(),
            "jsonschema": lambda: peer_js.validate(effective),
            "fastjsonschema": lambda: fast(copy.deepcopy(OVERRIDE)),
        },
        repeat=20,
        number=500,
    )
    return [
        ("settings resolve -> .value (dict in)", "pydantic v2 validate+dump", r["dict"], r["pydantic"]),
        ("settings resolve -> .value (JSON text in)", "pydantic v2 validate_json+dump", r["text"], r["pydantic json"]),
        ("settings resolve -> .value + .provenance", "python-jsonschema validate", r["full"], r["jsonschema"]),
        ("settings validate (full document)", "fastjsonschema validate+defaults", r["validate"], r["fastjsonschema"]),
        ("settings apply_patch -> .value", "python-jsonschema validate", r["patch"], r["jsonschema"]),
    ]


TITLE = "Python: settings, venue schema (seed 000), small tenant override (µs per call)"
NOTES = ["settings: target resolve <= 5 µs; pydantic does less (no layers, no provenance)"]

if __name__ == "__main__":
    print_table(TITLE, rows(), NOTES)
