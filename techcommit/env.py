"""Typed readers for settings that come from the environment.

Each helper fails loudly on a value it does not understand, so that a typo in a deployment
stops the portal at start-up instead of silently falling back to a default. A secret may also
be given as ``NAME_FILE``: the path of a file that holds it (Docker and systemd credentials).
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: set[str], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {value!r}")
    return value


def env_rate(name: str, default: str, what: str = "requests per period", suffix: str = "") -> str:
    """A rate as "number/period" (period s, m, h or d, optionally with a count such as 300s),
    followed by ``suffix`` ("/ip" for allauth's limits)."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/[0-9]*(s|m|h|d)" + re.escape(suffix), value):
        raise ImproperlyConfigured(
            f"{name} must be a number of {what} such as {default}, not {value!r}"
        )
    return value
