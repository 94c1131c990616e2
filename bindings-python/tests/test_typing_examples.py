"""Runs the README examples in typing_examples.py (mypy checks the same file)."""

from typing_examples import settings_example, webhooks_example


def test_webhooks_example_runs() -> None:
    webhooks_example()


def test_settings_example_runs() -> None:
    settings_example()
