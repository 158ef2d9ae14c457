"""The role matrix every view's permission test is written with: each persona, and what it
should get from the view (sent to sign in, a 404 as if nothing were there, or the page)."""

import pytest

from tests.conftest import PERSONAS


def expected(persona: str, allowed: set[str]) -> str:
    if persona == "anonymous":
        return "login"
    return "ok" if persona in allowed else "not found"


def outcome(response) -> str:
    """What a response amounts to: "login", "not found" or "ok"."""
    if response.status_code == 302 and "/accounts/login/" in response.url:
        return "login"
    if response.status_code == 401:  # an autosave or htmx request after the session ended
        return "login"
    return "not found" if response.status_code == 404 else "ok"


def matrix(allowed: set[str]):
    """Parameters (person, result) for every persona, as ``indirect=["person"]`` expects."""
    return [pytest.param(p, expected(p, allowed), id=p) for p in PERSONAS]
