"""Runs the README examples in typing_examples.py (mypy checks the same file)."""

from typing_examples import apikeys_example, webhooks_example


def test_webhooks_example_runs() -> None:
    webhooks_example()


def test_apikeys_example_runs() -> None:
    apikeys_example()
