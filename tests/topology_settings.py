"""Production settings for the topology test (tests/test_topology.py), but for one thing: static
files are served from the apps' folders, so the test skips the collectstatic (a minute of
compression) that a deployment runs once, when it is built. Nothing else differs."""

from techcommit.settings import *  # noqa: F403
from techcommit.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
