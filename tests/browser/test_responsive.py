"""Phone width (390 px), keyboard focus and the menu without JavaScript, on the demo data as
the public and a signatory's lead see it: nothing scrolls sideways, axe finds nothing serious,
focus rings stand out from white and the menu opens without scripts."""

import pytest
from django.core.management import call_command
from django.test import Client

from actionplans.models import ActionPlan
from assessments.models import SelfAssessment
from publications.models import Publication
from signatories.models import User
from tests.browser.test_accessibility import AXE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 800, "height": 1000}

# Every element whose right edge lies beyond the viewport, and is not inside a scroll box
# (a box that scrolls is how a wide table is meant to fit).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (["auto", "scroll", "hidden"].includes(style.overflowX) && p !== document.body
          && p !== document.documentElement) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !inScrollBox(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
      out.push(`${name}.${[...el.classList].join(".")} right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, outside: out.slice(0, 10)};
}"""

SERIOUS = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}});
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map(
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


def public_paths():
    kelderby = Publication.objects.public().filter(organisation__slug="kelderby")
    return [
        "/",
        "/directory/",
        "/directory/kelderby/",
        "/search/?q=technician",
        *[p.get_absolute_url() for p in kelderby],
    ]


def lead_paths():
    plan = ActionPlan.objects.get(organisation__slug="fenwick")
    draft = SelfAssessment.objects.get(organisation__slug="fenwick")
    return [
        "/organisations/fenwick/",
        "/organisations/fenwick/self-assessments/",
        f"/organisations/fenwick/self-assessments/{draft.pk}/",
        f"/organisations/fenwick/self-assessments/{draft.pk}/sections/2/",
        "/organisations/fenwick/action-plans/",
        "/organisations/fenwick/members/",
        plan.get_absolute_url(),
        f"{plan.get_absolute_url()}?edit={plan.actions.first().pk}",
        f"{plan.get_absolute_url()}?menu={plan.actions.first().pk}",
    ]


def sideways(page, paths, size=PHONE) -> dict:
    page.set_viewport_size(size)
    found = {}
    for path in paths:
        page.goto(path)
        measured = page.evaluate(OVERFLOW)
        if measured["scrollWidth"] > size["width"] or measured["outside"]:
            found[path] = measured
    return found


def serious(page, paths, size) -> dict:
    page.set_viewport_size(size)
    found = {}
    for path in paths:
        page.goto(path)
        page.evaluate(AXE)
        if problems := page.evaluate(SERIOUS):
            found[path] = problems
    return found


def test_the_public_pages_fit_a_phone_and_pass_axe(page, demo, live_server):
    paths = public_paths()
    assert sideways(page, paths) == {}
    assert serious(page, paths, PHONE) == {}
    assert serious(page, paths, DESKTOP) == {}


def test_a_leads_pages_fit_a_phone_and_pass_axe(page, demo, live_server):
    sign_in(page, "lead@example.org", live_server)
    paths = lead_paths()
    assert sideways(page, paths) == {}
    assert serious(page, paths, PHONE) == {}
    assert serious(page, paths, DESKTOP) == {}


def test_the_steering_groups_and_the_administrations_pages_fit_a_phone_and_pass_axe(
    page, demo, live_server
):
    from tests.conftest import with_totp

    with_totp(User.objects.get(email="reviewer@example.org"))
    sign_in(page, "reviewer@example.org", live_server)
    sector = ["/signatories/", "/signatories/dashboard/", "/signatories/dashboard/?nation=england"]
    assert {path: page.goto(path).url for path in sector} == {
        path: live_server.url + path
        for path in sector  # opened, not sent to set up two factors
    }
    assert sideways(page, sector) == {}
    assert serious(page, sector, PHONE) == {}
    assert serious(page, sector, DESKTOP) == {}

    page.context.clear_cookies()
    with_totp(User.objects.get(email="admin@example.org"))
    sign_in(page, "admin@example.org", live_server)
    administration = [
        "/signatories/dashboard/",
        "/administration/organisations/",
        "/administration/organisations/add/",
        "/administration/organisations/fenwick/",
        "/administration/organisations/import/",
        "/administration/cohorts/",
        "/administration/cohorts/add/",
        "/administration/reviewers/",
        "/administration/reviewers/add/",
    ]
    assert {path: page.goto(path).status for path in administration} == dict.fromkeys(
        administration, 200
    )
    assert sideways(page, administration) == {}
    assert serious(page, administration, PHONE) == {}
    assert serious(page, administration, DESKTOP) == {}
    # The administrator's menu is the longest (every sector link, Administration and the
    # organisation being looked at): it wraps rather than pushing the page sideways, on a
    # desktop and on a tablet just wide enough to show it.
    looked_at = ["/organisations/coldharbour/", "/organisations/kelderby/"]
    for size in (DESKTOP, TABLET):
        assert sideways(page, looked_at, size) == {}


# WCAG's contrast ratio of a computed CSS colour ("rgb(r, g, b)") against white.
CONTRAST = """(colour) => {
  const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}"""
RING = """(el) => {
  const style = getComputedStyle(el);
  return {colour: style.outlineColor, style: style.outlineStyle, width: style.outlineWidth};
}"""


def focus_ring(page, locator) -> dict:
    ring = locator.evaluate(RING)
    ring["contrast"] = page.evaluate(CONTRAST, ring["colour"])
    return ring


def test_focus_rings_on_controls_and_buttons_stand_out_from_white(page, demo, live_server):
    page.goto("/directory/")
    search = page.get_by_label("Name, short name or initials")
    search.focus()
    rings = [focus_ring(page, search)]
    # From the last filter the keyboard reaches the Search button (focus-visible).
    page.locator("form[role=search] select").last.focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Search")
    assert button.evaluate("(el) => el === document.activeElement")
    rings.append(focus_ring(page, button))
    for ring in rings:
        assert ring["style"] == "solid"
        assert float(ring["width"].removesuffix("px")) >= 2
        assert ring["contrast"] >= 3, ring


def test_the_menu_opens_without_javascript(browser, demo, live_server, settings):
    from playwright.sync_api import expect

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE, locale="en-GB"
    )
    page = context.new_page()
    try:
        page.goto("/accessibility/")
        menu = page.get_by_role("navigation", name="Main")
        # The button that needs a script to open the menu is not offered; the menu is shown.
        expect(menu.get_by_role("button", name="Show or hide the menu")).to_be_hidden()
        link = menu.get_by_role("link", name="Signatories directory")
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Signatories directory")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_with_javascript_the_menu_button_opens_the_menu(page, demo, live_server):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    page.goto("/accessibility/")
    menu = page.get_by_role("navigation", name="Main")
    link = menu.get_by_role("link", name="Signatories directory")
    expect(link).to_be_hidden()
    menu.get_by_role("button", name="Show or hide the menu").click()
    expect(link).to_be_visible()


def test_long_unbroken_words_wrap_rather_than_widen_the_page(page, live_server):
    from tests.factories import OrganisationFactory

    OrganisationFactory(
        name="Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Institute of Technology",
        slug="llanfair",
        contact_name="Technical staff network",
        contact_email="technician.commitment.steering.group.secretariat@llanfairpwllgwyngyll.ac.uk",
        webpage="https://www.llanfairpwllgwyngyll.ac.uk/research/technical-services/technician-commitment",
    )
    assert sideways(page, ["/directory/", "/directory/llanfair/"]) == {}
