"""API keys the way GitHub and Unkey issue them.

Tokens read ``{prefix}_{environment}_{body}``; the body ends in a CRC32 checksum, so look-alikes are
rejected offline. Only a peppered HMAC-SHA256 of the token is stored. ``verify`` returns a
:class:`Verdict` (never an exception for an ordinary bad key).

>>> from tenantry.apikeys import ApiKeys
>>> keys = ApiKeys("tk", {"p1": b"0123456789abcdef0123456789abcdef"})
>>> issued = keys.generate(scopes=["webhooks:write"], now=1_700_000_000)
>>> keys.verify(issued.token, issued.record, ["webhooks:write"], now=1_700_000_060).code
'VALID'
"""

from tenantry._native import ApiKeys, IssuedKey, ParsedToken, RolledKey, Verdict
from tenantry.errors import ApiKeyError

__all__ = [
    "ApiKeys",
    "IssuedKey",
    "RolledKey",
    "ParsedToken",
    "Verdict",
    "ApiKeyError",
]
