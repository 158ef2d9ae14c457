"""Phone width (390 px), keyboard focus and the menu without JavaScript, on the demo data as
the public and a signatory's lead see it: nothing scrolls sideways, axe finds nothing serious,
focus rings stand out from white and the menu opens without scripts."""

import pytest
from django.core.management import call_command
from django.test import Client

from actionplans.models import ActionPlan
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
    return ["/", "/directory/", "/directory/kelderby/", *[p.get_absolute_url() for p in kelderby]]


def lead_paths():
    plan = ActionPlan.objects.get(organisation__slug="fenwick")
    return [
        "/organisations/fenwick/",
        "/organisations/fenwick/self-assessments/",
        "/organisations/fenwick/action-plans/",
        "/organisations/fenwick/members/",
        plan.get_absolute_url(),
    ]


def sideways(page, paths) -> dict:
    page.set_viewport_size(PHONE)
    found = {}
    for path in paths:
        page.goto(path)
        measured = page.evaluate(OVERFLOW)
        if measured["scrollWidth"] > PHONE["width"] or measured["outside"]:
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
