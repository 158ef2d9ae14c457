"""Every kind of page, checked by axe-core against the WCAG 2.2 A and AA rules it can test
automatically, as the people who use it would see it (demo data, each role)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from actionplans.models import ActionPlan
from assessments.models import SelfAssessment
from publications.models import Publication
from signatories.models import User
from tests.conftest import with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHECK = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  );
}"""


@pytest.fixture
def demo(official_forms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=None)


def sign_in(page, email, live_server):
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def violations(page, path) -> list[str]:
    page.goto(path)
    page.evaluate(AXE)
    return page.evaluate(CHECK, RULES)


def test_public_pages(page, demo, live_server):
    kelderby = Publication.objects.filter(organisation__slug="kelderby")
    paths = [
        "/",
        "/directory/",
        "/directory/?q=kel&sort=reviewed&plan=yes",
        "/search/?q=technician",
        "/directory/kelderby/",
        "/accessibility/",
        "/open-data/",
        *[p.get_absolute_url() for p in kelderby],
    ]
    found = {path: violations(page, path) for path in paths}
    bad = {path: v for path, v in found.items() if v}
    assert bad == {}, bad


def test_an_organisations_own_pages(page, demo, live_server):
    sign_in(page, "lead@example.org", live_server)
    draft = SelfAssessment.objects.get(organisation__slug="fenwick")
    plan = ActionPlan.objects.get(organisation__slug="fenwick")
    base = f"/organisations/fenwick/self-assessments/{draft.pk}"
    paths = [
        "/organisations/fenwick/",
        "/organisations/fenwick/members/",
        f"{base}/",
        f"{base}/sections/2/",
        f"{base}/sections/3/",
        f"{base}/check/",
        f"{base}/submission/",
        plan.get_absolute_url(),
        f"{plan.get_absolute_url()}?edit={plan.actions.first().pk}",
        f"{plan.get_absolute_url()}?add={plan.headings.first().pk}",
        f"{plan.get_absolute_url()}?menu={plan.actions.first().pk}",
        f"{plan.get_absolute_url()}import/",
        f"{plan.get_absolute_url()}achievements/",
        f"{plan.get_absolute_url()}settings/",
        f"{plan.get_absolute_url()}reviews/",
        "/organisations/fenwick/publications/",
    ]
    found = {path: violations(page, path) for path in paths}
    bad = {path: v for path, v in found.items() if v}
    assert bad == {}, bad


def test_the_steering_groups_pages(page, demo, live_server):
    # The demo reviewer sets up an authenticator at first sign-in; without one every page here
    # would be the set-up page.
    with_totp(User.objects.get(email="reviewer@example.org"))
    sign_in(page, "reviewer@example.org", live_server)
    submitted = SelfAssessment.objects.get(organisation__slug="coldharbour")
    base = f"/organisations/coldharbour/self-assessments/{submitted.pk}"
    paths = [
        "/review/mine/",
        f"{base}/review/",
        f"{base}/submission/",
        f"{base}/submission/revisions/1/",
    ]
    assert [page.goto(path).url for path in paths] == [live_server.url + p for p in paths]
    found = {path: violations(page, path) for path in paths}
    bad = {path: v for path, v in found.items() if v}
    assert bad == {}, bad


def test_the_administration_pages(page, demo, live_server):
    with_totp(User.objects.get(email="admin@example.org"))
    sign_in(page, "admin@example.org", live_server)
    paths = [
        "/administration/organisations/",
        "/administration/organisations/add/",
        "/administration/organisations/northmoor/",
        "/administration/organisations/northmoor/status/",
        "/administration/organisations/import/",
        "/administration/cohorts/",
        "/administration/cohorts/add/",
        "/administration/reviewers/",
        "/administration/reviewers/add/",
        "/profile/",
    ]
    found = {path: violations(page, path) for path in paths}
    # The import's preview, with a row that cannot be imported.
    page.goto("/administration/organisations/import/")
    page.get_by_label("Signatory list").set_input_files(
        files=[
            {
                "name": "signatories.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"Name,Kind,Nation,Date signed\n"
                    b"University of Northmoor,University,England,2018-03-01\n"
                    b"Dunwick College,College,Wales,2019-05-12\n"
                ),
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Check the import of ‘signatories.csv’").wait_for()
    found["/administration/organisations/import/preview/"] = violations(
        page, "/administration/organisations/import/preview/"
    )
    bad = {path: v for path, v in found.items() if v}
    assert bad == {}, bad
