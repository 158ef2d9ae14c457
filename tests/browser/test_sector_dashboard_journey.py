"""A reviewer opens the sector dashboard, narrows it to one nation, follows a figure to the list
of organisations behind it, and downloads a table as CSV; axe finds nothing serious at 1280 px."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client

from signatories.models import User
from tests.browser.test_accessibility import AXE, RULES
from tests.conftest import with_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

SERIOUS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""


@pytest.fixture
def demo(official_forms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=None)


def sign_in(page, email, live_server):
    client = Client()
    user = User.objects.get(email=email)
    with_totp(user)  # sector staff must have an authenticator app
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_reviewer_reads_the_sector_by_nation(page, demo, live_server, tmp_path):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "reviewer@example.org", live_server)
    page.goto("/")
    page.get_by_role("link", name="Sector dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The sector at a glance")
    page.evaluate(AXE)
    assert page.evaluate(SERIOUS, RULES) == []

    page.get_by_label("Nation", exact=True).select_option(label="Scotland")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(
        f"{live_server.url}/signatories/dashboard/?nation=scotland&kind=&cohort=&status="
    )
    expect(page.get_by_role("status")).to_have_text("2 organisations match these filters.")
    # The RAG chart of the Scottish signatories' latest finalised reviews, with its words.
    expect(page.locator("#nation-scotland")).to_be_visible()
    expect(page.locator("#nation-england")).to_have_count(0)
    page.evaluate(AXE)
    assert page.evaluate(SERIOUS, RULES) == []

    # The number of organisations leads to them, and only them.
    page.get_by_role("link", name="2 organisations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signatories and their next self-assessment"
    )
    expect(page.get_by_role("status")).to_have_text("2 organisations, overdue first.")
    expect(page.get_by_role("link", name="Kelderby", exact=False).first).to_be_visible()
    expect(page.get_by_role("cell", name="University of Northmoor")).to_have_count(0)
    expect(page.get_by_label("Nation", exact=True)).to_have_value("scotland")
    page.evaluate(AXE)
    assert page.evaluate(SERIOUS, RULES) == []

    page.go_back()
    with page.expect_download() as info:
        page.locator("#states-heading ~ p a", has_text="Download this table as CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("sector-states-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Self-assessment"
    assert rows[0][-1] == "Total"
    assert sum(int(row[-1]) for row in rows[1:]) == 2
