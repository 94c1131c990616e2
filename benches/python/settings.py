"""Settings resolve on seed 000's venue-settings schema with a small tenant override: tenantry
(defaults + merge + validate + provenance -> dict) against pydantic v2 (validate + dump),
python-jsonschema (validate alone) and fastjsonschema (validate + defaults).

Prints one table: the median over `timeit` repeats of the time per operation, and the ratio
peer / tenantry. Run by `make bench` after the release build.
"""

from __future__ import annotations

import copy
import json
import pathlib
import statistics
import timeit
from typing import Any, Callable, Dict, List, Optional, Tuple

import fastjsonschema
import jsonschema
import pydantic

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


def median_us(fn: Callable[[], object], repeat: int = 31, target: float = 0.02) -> float:
    """Median µs per call over `repeat` timeit runs, each about `target` seconds long."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * target / 0.2))
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e6


def main() -> None:
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

    rows: List[Tuple[str, float, str, float]] = []
    t_dict = median_us(lambda: ours.resolve([("tenant", OVERRIDE)]).value)
    t_text = median_us(lambda: ours.resolve([("tenant", OVERRIDE_TEXT)]).value)
    t_full = median_us(lambda: (lambda r: (r.value, r.provenance))(ours.resolve([("tenant", OVERRIDE)])))
    t_validate = median_us(lambda: ours.validate(effective))
    t_patch = median_us(lambda: ours.apply_patch(OVERRIDE, {"ai_settings": {"max_tokens": 900}}).value)
    rows.append(("resolve -> .value (dict in)", t_dict, "pydantic v2 validate+dump", median_us(lambda: VenueSettings.model_validate(OVERRIDE).model_dump())))
    rows.append(("resolve -> .value (JSON text in)", t_text, "pydantic v2 validate_json+dump", median_us(lambda: VenueSettings.model_validate_json(OVERRIDE_TEXT).model_dump())))
    rows.append(("resolve -> .value + .provenance", t_full, "python-jsonschema validate", median_us(lambda: peer_js.validate(effective))))
    rows.append(("validate (full document)", t_validate, "fastjsonschema validate+defaults", median_us(lambda: fast(copy.deepcopy(OVERRIDE)))))
    rows.append(("apply_patch -> .value", t_patch, "python-jsonschema validate", median_us(lambda: peer_js.validate(effective))))

    print("settings (Python): venue schema (seed 000), small tenant override; µs per call, median")
    print(f"{'operation':36} {'tenantry':>9}  {'peer':36} {'peer µs':>9} {'ratio':>6}")
    for op, ours_us, peer, peer_us in rows:
        print(f"{op:36} {ours_us:9.2f}  {peer:36} {peer_us:9.2f} {peer_us / ours_us:5.1f}x")


if __name__ == "__main__":
    main()
