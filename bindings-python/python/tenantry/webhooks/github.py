"""GitHub webhook signatures: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>``.

``verify`` takes one secret or a list of secrets, so a secret can be rotated without downtime.

>>> from tenantry.webhooks import github
>>> github.sign(b"Hello, World!", "It's a Secret to Everybody")
'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
>>> github.verify(b"Hello, World!", github.sign(b"Hello, World!", "old"), ["new", "old"])
"""

from tenantry._native import github_sign as sign
from tenantry._native import github_verify as verify

HEADER = "X-Hub-Signature-256"

__all__ = ["sign", "verify", "HEADER"]
