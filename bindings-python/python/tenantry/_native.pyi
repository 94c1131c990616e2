# Type stubs for the compiled extension module `tenantry._native`.
# Keep in step with bindings-python/src: every name here exists at runtime with this signature.

from datetime import datetime
from typing import Iterable, Protocol, Sequence, Tuple, Union

__version__: str

Payload = Union[bytes, bytearray, str]
Time = Union[int, float, datetime]
_HeaderText = Union[str, bytes]

class _HeaderItems(Protocol):
    """A dict, or any mapping with `.items()` (Starlette, Werkzeug headers)."""

    def items(self) -> Iterable[Tuple[_HeaderText, _HeaderText]]: ...

Headers = Union[_HeaderItems, Iterable[Tuple[_HeaderText, _HeaderText]]]

# ---- webhooks -------------------------------------------------------------------------------

class Webhook:
    def __init__(self, secret: Union[str, Sequence[str]]) -> None: ...
    def sign(self, msg_id: str, payload: Payload, timestamp: Time | None = None) -> dict[str, str]: ...
    def verify(self, payload: Payload, headers: Headers, *, tolerance: int = 300, now: Time | None = None) -> None: ...

def generate_secret() -> str: ...
def generate_keypair() -> tuple[str, str]: ...
