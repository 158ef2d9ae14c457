"""Every link the steering group's "Signatories" page shows a reviewer or an administrator, and
every link on the pages it leads to, opens: none answers 404 or 403."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from assessments import services as assessment_services
from signatories.models import Organisation
from submissions.models import Assignment, Reviewer
from tests.factories import OrganisationFactory
from tests.submissions.test_review import make_submitted

HREF = re.compile(r'<a [^>]*href="(/[^"#]*)[^"]*"')
# Links that leave the pages under test: signing out, the public pages, the account pages.
SKIPPED = ("/accounts/", "/static/", "/admin/", "/directory/", "/api/")


def links(page: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in HREF.findall(page)} - {""}


@pytest.fixture
def sector(org_a, org_b, lead_of_org_a, lead_of_org_b, reviewer):
    """Organisation A submitted and assigned to the reviewer, who works at B (in the pool); B
    with a draft and a plan; C with nothing yet."""
    Reviewer.objects.create(user=reviewer, organisation=org_b, trained_on=date(2026, 1, 10))
    submitted = make_submitted(org_a, lead_of_org_a)
    Assignment.objects.create(assessment=submitted, reviewer=reviewer)
    Organisation.objects.filter(pk=org_b.pk).update(signed_on=date(2025, 12, 1))
    org_b.refresh_from_db()
    draft = assessment_services.start_assessment(org_b, by=lead_of_org_b, today=date(2026, 11, 25))
    ActionPlan.objects.create(
        organisation=org_b,
        assessment=draft,
        title="Plan 2027",
        starts_on=date(2027, 1, 1),
        ends_on=date(2029, 12, 1),
    )
    OrganisationFactory(name="Coldwater College", slug="coldwater")


def broken_links(client, start: str, levels: int) -> tuple[list, set]:
    """Follow every link from ``start``, ``levels`` deep: those answering 403 or 404, and every
    page seen."""
    seen, broken = {start}, []
    to_visit = sorted(links(client.get(start).content.decode()))
    for depth in range(1, levels + 1):
        next_level = set()
        for url in to_visit:
            if url in seen or url.startswith(SKIPPED):
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code in (403, 404):
                broken.append((url, response.status_code))
            elif depth < levels and response.status_code == 200:
                next_level |= links(response.content.decode())
        to_visit = sorted(next_level)
    return broken, seen


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_every_link_from_the_signatories_page_opens(client, request, sector, persona):
    client.force_login(request.getfixturevalue(persona))
    # The signatories page, every page it links to, and theirs: three levels.
    broken, seen = broken_links(client, reverse("submissions:sector_overview"), 3)
    assert broken == []
    assert len(seen) > 10


@pytest.mark.parametrize(
    "page", ["review_workspace", "submission", "feedback", "snapshot"], ids=str
)
def test_an_assigned_reviewer_is_never_linked_to_the_working_copy(client, sector, reviewer, page):
    assessment = Assignment.objects.get(reviewer=reviewer).assessment
    args = ["aldermoor", assessment.pk, *([1] if page == "snapshot" else [])]
    client.force_login(reviewer)
    start = reverse(f"submissions:{page}", args=args)
    html = client.get(start).content.decode()
    assert f'href="{assessment.get_absolute_url()}"' not in html
    assert f"Due {assessment.due_on:%-d %B %Y}" in html
    broken, _seen = broken_links(client, start, 2)
    assert broken == []
