"""The published documents the public pages' tests use, for the API's tests too: one place for
each fixture."""

from tests.publications.test_public import (  # noqa: F401 - fixtures
    _media,
    aldermoor,
    draft_plan,
    everything,
    plan,
    published_assessment,
    published_plan,
    published_review,
    withdrawn_plan,
)
