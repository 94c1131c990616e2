"""Tour: issue an API key, store its record, verify it on the request path, rotate peppers, roll it."""

import os
from datetime import timedelta

from tenantry.apikeys import ApiKeys

pepper = os.urandom(32)  # from your secret store in real life
keys = ApiKeys("tk", {"p1": pepper})

issued = keys.generate(scopes=["webhooks:write", "settings:*"], name="CI deploy")
print("apikeys: issued  ", issued.record["masked"], "(key id", issued.record["key_id"] + ")")
db = {issued.record["key_id"]: issued.record}  # the token itself is never stored

token = issued.token  # what the client sends, e.g. in Authorization: Bearer ...
record = db.get(keys.parse(token).key_id)
verdict = keys.verify(token, record, ["settings:read"])
print("apikeys: verify   ->", verdict.code, "touch:", verdict.touch)

typo = token[:-1] + ("a" if token[-1] != "a" else "b")
print("apikeys: typo     ->", keys.verify(typo, None).code)
denied = keys.verify(token, record, ["audit:read"])
print("apikeys: audit    ->", denied.code, "missing", denied.missing_scopes)

rotated = ApiKeys("tk", {"p1": pepper, "p2": os.urandom(32)}, current_pepper="p2")
rehash = rotated.verify(token, record).rehash
if rehash is not None:
    db[issued.record["key_id"]] = {**record, **rehash}
    print("apikeys: rehash   -> stored under pepper", rehash["pepper_id"])

rolled = keys.roll(issued.record, grace=timedelta(hours=1))
print("apikeys: rolled  ", rolled.previous["masked"], "->", rolled.record["masked"])
print("apikeys: scanning pattern", keys.secret_scanning_pattern())
