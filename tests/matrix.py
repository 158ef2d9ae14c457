"""The role matrix every view's permission test is written with: each persona, and exactly what
it should get from the view: sent to sign in, a 404 as if nothing were there, or the view's own
status for someone allowed (200 for a page, 302 for a form that redirects, 204 for an htmx save)."""

import pytest

from tests.conftest import PERSONAS


def expected(persona: str, allowed: set[str], ok: int = 200) -> str | int:
    if persona == "anonymous":
        return "login"
    return ok if persona in allowed else 404


def outcome(response) -> str | int:
    """What a response amounts to: "login" (sent to sign in, or told the session ended) or the
    exact status code, so a 403 or 400 where a page was expected fails the test."""
    if response.status_code == 302 and "/accounts/login/" in response.url:
        return "login"
    if response.status_code == 401:  # an autosave or htmx request after the session ended
        return "login"
    return response.status_code


def matrix(allowed: set[str], ok: int = 200):
    """Parameters (person, result) for every persona, as ``indirect=["person"]`` expects; ``ok`` is
    the status an allowed persona gets."""
    return [pytest.param(p, expected(p, allowed, ok), id=p) for p in PERSONAS]


def is_allowed(result: str | int) -> bool:
    """Whether a matrix cell is one where the persona may do what the view does."""
    return isinstance(result, int) and result < 400
