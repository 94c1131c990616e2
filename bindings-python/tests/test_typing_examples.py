"""Runs the README examples in typing_examples.py (mypy checks the same file)."""

from typing_examples import audit_example, webhooks_example


def test_webhooks_example_runs() -> None:
    webhooks_example()


def test_audit_example_runs() -> None:
    audit_example()
