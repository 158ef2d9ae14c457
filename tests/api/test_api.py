"""The public read API: what it gives, that it gives nothing unpublished, paging, caching
headers, CORS and the rate limit."""

from datetime import date

import pytest
from django.core.cache import cache

from publications import services
from signatories.enums import OrganisationStatus
from signatories.models import Organisation
from tests.factories import OrganisationFactory
from tests.publications.test_public import (
    DRAFT_ACTION,
    PLAN_ROWS,
    REVIEWER_NOTE,
    SIGNER_EMAILS,
    WITHDRAWN_ACTION,
    bulk_organisations,
)

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()


def get(client, path: str, **params):
    return client.get(API + path, params)


def test_the_schema_is_openapi_and_lists_every_read(client, db):
    schema = get(client, "/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/documents",
        "/api/v1/plans",
        "/api/v1/plans/{pk}",
        "/api/v1/progress-reviews",
        "/api/v1/progress-reviews/{pk}",
        "/api/v1/signatories",
        "/api/v1/signatories/{slug}",
    ]
    assert {method for path in schema["paths"].values() for method in path} == {"get"}
    assert "Open Government Licence v3.0" in schema["info"]["description"]


def test_signatories_with_status_contact_and_due_dates(client, everything, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(last_assessed_on=date(2022, 3, 31))
    data = get(client, "/signatories").json()
    assert data["count"] == 2
    assert data["items"] == [
        {
            "name": "Brackenfield Institute",
            "short_name": "Brackenfield",
            "slug": "brackenfield",
            "kind": "university",
            "nation": "england",
            "status": "signatory",
            "signed_on": "2020-01-15",
            "webpage": "",
            "contact_name": "",
            "contact_email": "",
            "last_assessed_on": "2022-03-31",
            "next_due_on": "2025-03-31",
            "page_url": "http://testserver/directory/brackenfield/",
            "current_plan_id": None,
        },
        {
            "name": "University of Aldermoor",
            "short_name": "Aldermoor",
            "slug": "aldermoor",
            "kind": "university",
            "nation": "england",
            "status": "signatory",
            "signed_on": "2025-12-01",
            "webpage": "https://www.aldermoor.ac.uk/technician-commitment",
            "contact_name": "Tess Hollis",
            "contact_email": "technicians@aldermoor.ac.uk",
            "last_assessed_on": None,
            "next_due_on": "2026-12-01",
            "page_url": "http://testserver/directory/aldermoor/",
            "current_plan_id": everything["plan"].pk,
        },
    ]
    one = get(client, "/signatories/aldermoor").json()
    assert one == data["items"][1]


def test_signatories_take_the_directorys_filters(client, everything, org_b):
    Organisation.objects.filter(pk=org_b.pk).update(status=OrganisationStatus.LAPSED)
    found = get(client, "/signatories", q="bracken").json()
    assert [s["slug"] for s in found["items"]] == ["brackenfield"]
    lapsed = get(client, "/signatories", status="lapsed").json()
    assert [(s["slug"], s["next_due_on"]) for s in lapsed["items"]] == [("brackenfield", None)]
    newest = get(client, "/signatories", sort="newest").json()
    assert [s["slug"] for s in newest["items"]] == ["aldermoor", "brackenfield"]


def test_signatories_are_paged(client, db):
    for n in range(7):
        OrganisationFactory(name=f"Paged {n}", slug=f"paged-{n}")
    first = get(client, "/signatories", limit=3).json()
    third = get(client, "/signatories", limit=3, offset=6).json()
    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [s["slug"] for s in first["items"]] == ["paged-0", "paged-1", "paged-2"]
    assert [s["slug"] for s in third["items"]] == ["paged-6"]
    too_many = get(client, "/signatories", limit=101)
    assert too_many.status_code == 422
    assert "limit" in too_many.content.decode()


def test_an_unknown_signatory_or_document_is_not_found(client, everything):
    assert get(client, "/signatories/nowhere").json() == {"detail": "Not Found"}
    review = everything["review"].pk
    # A progress review is not a plan, and the other way round.
    statuses = [
        get(client, f"/plans/{review}").status_code,
        get(client, f"/progress-reviews/{everything['plan'].pk}").status_code,
        get(client, "/plans/9223372036854775807").status_code,
    ]
    assert statuses == [404, 404, 404]


def test_documents_list_every_published_document_and_nothing_withdrawn(client, everything):
    data = get(client, "/documents").json()
    by_kind = {d["kind"]: d for d in data["items"]}
    assert data["count"] == 3
    assert sorted(by_kind) == ["action_plan", "progress_review", "self_assessment"]
    plan = everything["plan"]
    assert by_kind["action_plan"] == {
        "id": plan.pk,
        "organisation": "University of Aldermoor",
        "organisation_slug": "aldermoor",
        "kind": "action_plan",
        "title": "Aldermoor Technician Commitment Action Plan 2026–2028",
        "version": 1,
        "published_on": plan.published_at.date().isoformat(),
        "page_url": f"http://testserver/directory/aldermoor/documents/{plan.pk}/",
        "pdf_url": f"http://testserver/directory/aldermoor/documents/{plan.pk}/pdf/",
        "api_url": f"http://testserver/api/v1/plans/{plan.pk}",
    }
    assert by_kind["self_assessment"]["api_url"] is None
    withdrawn = everything["withdrawn"].pk
    assert withdrawn not in [d["id"] for d in data["items"]]
    assert get(client, f"/plans/{withdrawn}").status_code == 404
    plans = get(client, "/plans", organisation="aldermoor").json()
    assert [d["id"] for d in plans["items"]] == [plan.pk]
    assert get(client, "/documents", kind="progress_review").json()["count"] == 1
    assert get(client, "/documents", organisation="brackenfield").json()["count"] == 0


def test_a_plan_has_every_action_with_its_status(client, published_plan):
    data = get(client, f"/plans/{published_plan.pk}").json()
    assert data["id"] == published_plan.pk
    assert data["actions"] == PLAN_ROWS
    assert [(w["status"], w["label"]) for w in data["status_wording"]] == [
        ("not_started", "Not started"),
        ("red", "Delayed"),
        ("amber", "In progress"),
        ("green", "On track"),
        ("complete", "Completed"),
    ]
    assert (data["title"], data["organisation_slug"], data["version"]) == (
        "Aldermoor Technician Commitment Action Plan 2026–2028",
        "aldermoor",
        1,
    )


def test_a_progress_review_has_its_period_summary_and_statuses(client, published_review):
    data = get(client, f"/progress-reviews/{published_review.pk}").json()
    assert {k: data[k] for k in ("reviewed_on", "period_from", "period_to")} == {
        "reviewed_on": "2027-06-30",
        "period_from": "2026-12-01",
        "period_to": "2027-05-31",
    }
    assert (data["overall_status"], data["overall_label"]) == ("green", "On track")
    assert data["summary"] == "Good progress on visibility."
    assert [(e["action"], e["status"]) for e in data["entries"]][2] == (
        "Count technicians in every department",
        "red",
    )
    listed = get(client, "/progress-reviews").json()
    assert [d["id"] for d in listed["items"]] == [published_review.pk]


def test_nothing_unpublished_or_private_is_ever_in_the_api(client, everything):
    everything_public = [
        "/signatories",
        "/signatories/aldermoor",
        "/documents",
        "/plans",
        "/progress-reviews",
        f"/plans/{everything['plan'].pk}",
        f"/progress-reviews/{everything['review'].pk}",
        f"/plans/{everything['withdrawn'].pk}",
    ]
    for path in everything_public:
        body = get(client, path).content.decode()
        assert body.startswith("{"), path
        for secret in [DRAFT_ACTION, REVIEWER_NOTE, WITHDRAWN_ACTION, *SIGNER_EMAILS]:
            assert secret not in body, f"{secret!r} is in {path}"


def test_a_withdrawn_plan_leaves_the_api(client, published_plan, lead_of_org_a):
    path = f"/plans/{published_plan.pk}"
    assert get(client, path).status_code == 200
    services.withdraw(published_plan, by=lead_of_org_a, reason="Published by mistake.")
    assert get(client, path).status_code == 404
    assert get(client, "/plans").json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    assert get(client, "/signatories/aldermoor").json()["current_plan_id"] is None


# --- HTTP: caching, CORS, no cookies, read only, the rate limit --------------------------------


def test_an_unchanged_answer_is_not_modified(client, published_plan):
    path = f"{API}/plans/{published_plan.pk}"
    first = client.get(path)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith(" GMT")
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    since = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
    assert (again.status_code, again.content) == (304, b"")
    assert (since.status_code, since.content) == (304, b"")
    head = client.head(path)
    assert (head.status_code, head["ETag"], head.content) == (200, first["ETag"], b"")
    assert head["Content-Length"] == str(len(first.content))
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.json()["id"] == published_plan.pk


def test_a_list_changes_its_etag_when_a_document_is_published(client, published_plan, plan):
    first = client.get(f"{API}/plans")
    services.publish_plan(plan, by=None)
    changed = client.get(f"{API}/plans", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["count"] == 2


def test_any_site_may_read_the_api_but_not_write(client, db):
    response = client.get(f"{API}/signatories", headers={"Origin": "https://example.com"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        f"{API}/signatories",
        headers={
            "Origin": "https://example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.post(f"{API}/signatories", {}).status_code == 405
    # Pages outside the API are not opened to other sites.
    page = client.get("/directory/", headers={"Origin": "https://example.com"})
    assert "Access-Control-Allow-Origin" not in page


def test_the_api_sets_no_cookie_even_for_someone_signed_in(client, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.get(f"{API}/signatories")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_anonymous_clients_are_rate_limited(client, settings, db):
    settings.API_ANONYMOUS_RATE = "3/m"
    statuses = [client.get(f"{API}/signatories").status_code for _ in range(3)]
    refused = client.get(f"{API}/signatories")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many requests."}
    assert 1 <= int(refused["Retry-After"]) <= 60
    other = client.get(f"{API}/signatories", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(client, settings, db):
    settings.API_ANONYMOUS_RATE = "1/m"
    assert client.get(f"{API}/signatories").status_code == 200
    forged = client.get(f"{API}/signatories", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429


def test_a_parameter_out_of_range_is_a_clear_422_never_a_server_error(client, db):
    responses = {
        "offset": get(client, "/signatories", offset=-1),
        "kind": get(client, "/documents", kind="letter"),
        "slug": get(client, "/signatories/not%20a%20slug"),
        "id": get(client, "/plans/0"),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 422)
    assert [e["loc"][-1] for e in responses["offset"].json()["detail"]] == ["offset"]


# --- Query counts: the same at two sizes -------------------------------------------------------

# The rate limit reads and writes its count in the database cache: a read, the cache's size,
# and a write in a savepoint (six statements; with Redis, two round trips).
THROTTLE = 6


@pytest.mark.parametrize("count", [3, 150])
def test_signatories_take_the_same_queries_however_many(
    client, published_plan, count, django_assert_max_num_queries
):
    bulk_organisations(count)
    # The count, the page, and for the due dates the form versions and cohort deadlines.
    with django_assert_max_num_queries(THROTTLE + 4):
        data = get(client, "/signatories", limit=100).json()
    assert (data["count"], len(data["items"])) == (count + 1, min(count + 1, 100))


@pytest.mark.parametrize("versions", [1, 3])
def test_documents_take_the_same_queries_however_many(
    client, plan, lead_of_org_a, versions, django_assert_max_num_queries
):
    for _ in range(versions):
        services.publish_plan(plan, by=lead_of_org_a)
    # When the documents last changed, the count, and the page with its organisations.
    with django_assert_max_num_queries(THROTTLE + 3):
        data = get(client, "/documents").json()
    assert [d["version"] for d in data["items"]] == list(range(versions, 0, -1))
