# Type stubs for the compiled extension module `tenantry._native`.
# Keep in step with bindings-python/src: every name here exists at runtime with this signature.

from datetime import datetime
from typing import Iterable, Mapping, Sequence, Tuple, Union

__version__: str

Payload = Union[bytes, bytearray, str]
Time = Union[int, float, datetime]
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]

# ---- webhooks -------------------------------------------------------------------------------

class Webhook:
    def __init__(self, secret: Union[str, Sequence[str]]) -> None: ...
    def sign(self, msg_id: str, payload: Payload, timestamp: Time | None = None) -> dict[str, str]: ...
    def verify(self, payload: Payload, headers: Headers, *, tolerance: int = 300, now: Time | None = None) -> None: ...

def generate_secret() -> str: ...
def generate_keypair() -> tuple[str, str]: ...
