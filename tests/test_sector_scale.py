"""The pages that read the whole sector cost the same number of queries at 10 organisations as at
150, each with a published 40-action plan and a finalised, published review of it: the steering
group's dashboard and signatories list, the public directory, an organisation's public page and
the search across plans (issue 16's done-when)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actionplans.models import ProgressReview
from tests import bulk_plans

PAGES = {
    "dashboard": "/signatories/dashboard/",
    "signatories": "/signatories/",
    "directory": "/directory/",
    "organisation": "/directory/bulk-0003/",
    "search": "/search/?q=registration+fees",
}


def sector(count: int, prefix: str = "bulk") -> None:
    bulk_plans.build(count, actions=40, prefix=prefix)
    ProgressReview.objects.filter(finalised_at=None).update(finalised_at=timezone.now())


def queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured), response.content.decode()


# What each page shows of the sector, at 10 organisations and at 150 (each row: the text at 10,
# the text at 150), so that the same number of queries is seen to read more.
SHOWS = {
    "dashboard": (">10 organisations</a> match these filters", ">150 organisations</a> match"),
    "signatories": ("Bulk University 0003", "More University 0139"),
    "directory": (">10 signatories</span>", ">150 signatories</span>"),
    "organisation": ("Bulk University 0003", "Bulk University 0003"),
    "search": ("found", "found"),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_sectors_pages_cost_the_same_at_10_and_150_organisations(client, reviewer, page):
    if page in ("dashboard", "signatories"):
        client.force_login(reviewer)
    sector(10)
    at_10, html = queries(client, PAGES[page])
    assert SHOWS[page][0] in html
    sector(140, prefix="more")
    at_150, html_150 = queries(client, PAGES[page])
    assert SHOWS[page][1] in html_150
    if page == "search":  # 40 actions a plan, one in five on registration fees
        counts = [int(h.split('id="results-count">')[1].split(" ")[0]) for h in (html, html_150)]
        assert counts[1] == counts[0] * 15
    assert at_150 == at_10
