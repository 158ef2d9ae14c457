"""Running manage.py or a snippet of Python in a separate process, with its own environment, as
a deployment (or a second app server) would."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A SECRET_KEY good enough for production settings' checks.
SECRET = "x" * 20 + "-a-production-like-secret-key-for-tests-0987654321"


def run(code_or_args, *, typed: str | None = None, **env):
    """Run ``python -c code`` or ``python *args`` in the project folder, with ``typed`` as its
    input; returns the result with its text output. The environment is this one's, less the test
    run's own settings (the browser tests allow the ORM beside Playwright's event loop, which the
    deploy check rightly refuses), plus ``env``."""
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    """A loopback port nothing listens on now (for a server a test or a bench starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, timeout: float = 30, every: float = 0.25):
    """``check()``'s first true answer, polled until ``timeout`` seconds; else TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise TimeoutError(f"Timed out after {timeout} s waiting for {what}")
