"""The expected error messages of a generated vector file, pinned by case name (see README.md)."""

from __future__ import annotations

from typing import Any, Dict, List


def pin_messages(cases: List[Dict[str, Any]], messages: Dict[str, str]) -> None:
    """Gives every error case its message from `messages` (by name), failing on a case without
    one, on two error cases of one name, and on a message no case takes."""
    messages = dict(messages)
    error_names = [c["name"] for c in cases if "error" in c]
    assert len(error_names) == len(set(error_names)), "error cases need distinct names"
    for c in cases:
        if "error" in c:
            c["message"] = messages.pop(c["name"])
    assert not messages, f"messages for no error case: {sorted(messages)}"
