"""Runs every ```python block of README.md, so the quickstart stays runnable as written."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re
from typing import List

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> List[str]:
    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)
    assert blocks, "README.md has no python examples"
    return blocks


@pytest.mark.parametrize("source", python_blocks(), ids=lambda s: s.splitlines()[0][:40])
def test_readme_block_runs(source: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, str(README), "exec"), {"__name__": "readme"})
