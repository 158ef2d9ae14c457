"""Schemathesis generates requests from the API's own OpenAPI schema and checks every answer:
no server error, and every answer matches the schema. It runs against the portal's WSGI
application (no server), with a few organisations and every kind of published document.

The schema is loaded when the module is (schemathesis's fixture-based loading does not work
with pytest 9); serving it touches no database."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import OrganisationFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def published(
    published_plan,
    published_review,
    published_assessment,
    draft_plan,
    withdrawn_plan,
    org_b,
    settings,
):
    """Published, withdrawn and draft documents (the last two never to be seen) and a few
    more organisations."""
    for n in range(3):
        OrganisationFactory(name=f"Schemathesis Institute {n}", slug=f"schemathesis-{n}")
    # Generated requests come quickly: the rate limit has its own test.
    settings.API_ANONYMOUS_RATE = "100000/m"
    cache.clear()
    # The WSGI handler would close the test's database connection after each request, and
    # with it the test's transaction; Django's own test client does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_matches_its_schema_and_never_fails(case, published):
    # The API answers gzip to a client that accepts it; schemathesis's WSGI transport would
    # not unpack it (a real HTTP client does: test_public_caching.py), so it asks for none.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )
