"""Running manage.py or a snippet of Python in a separate process, with its own environment, as
a deployment (or a second app server) would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A SECRET_KEY good enough for production settings' checks.
SECRET = "x" * 20 + "-a-production-like-secret-key-for-tests-0987654321"


def run(code_or_args, **env):
    """Run ``python -c code`` or ``python *args`` in the project folder; returns the result with
    its text output. The environment is this one's, less the test run's own settings (the browser
    tests allow the ORM beside Playwright's event loop, which the deploy check rightly refuses),
    plus ``env``."""
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
