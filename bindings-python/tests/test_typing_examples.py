"""Runs the README examples in typing_examples.py (mypy checks the same file)."""

from typing_examples import (
    apikeys_example,
    audit_example,
    limits_example,
    webhook_delivery_example,
    webhook_schemes_example,
    webhooks_example,
)


def test_webhooks_example_runs() -> None:
    webhooks_example()


def test_webhook_schemes_example_runs() -> None:
    webhook_schemes_example()


def test_webhook_delivery_example_runs() -> None:
    webhook_delivery_example()


def test_limits_example_runs() -> None:
    limits_example()


def test_apikeys_example_runs() -> None:
    apikeys_example()


def test_audit_example_runs() -> None:
    audit_example()
