"""A technician answers a consultation by its shared link, keeps the withdrawal code, comes back
by the same link (which says they have answered, and how to change their answers), mistypes
the code, then withdraws their answers with it; every page passes axe."""

import re
from datetime import date

import pytest

from consultations import services
from consultations.enums import ConsultationStatus, QuestionKind
from consultations.models import Comment, Response
from tests.browser.test_accessibility import AXE, CHECK, RULES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(CHECK, RULES)
    return [v for v in found if "(serious)" in v or "(critical)" in v]


@pytest.fixture
def link(live_server):
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    lead = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    MembershipFactory(organisation=organisation, role="lead", user=lead)
    consultation = services.create(
        organisation,
        by=lead,
        title="Technician voice 2026",
        introduction="",
        closes_on=date(2099, 12, 31),
        threshold=5,
        sector_consent=False,
    )
    services.add_question(
        consultation, kind=QuestionKind.SINGLE, text="Where do you work?", choices=["Lab", "Shop"]
    )
    services.add_question(consultation, kind=QuestionKind.TEXT, text="Anything else?")
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead)
    return f"/voice/{consultation.link_token}/"


def test_answer_then_withdraw(page, link):
    from playwright.sync_api import expect

    page.goto(link)
    page.get_by_role("group", name=re.compile("Where do you work")).get_by_label(
        "Lab", exact=True
    ).check()
    page.get_by_label(re.compile("Anything else")).fill("The fume cupboard in B12 needs work.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_role("heading", name="Your withdrawal code")).to_be_visible()
    code = page.locator("#withdrawal-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", code)
    assert serious(page) == []
    assert (Response.objects.count(), Comment.objects.count()) == (1, 1)
    # The browser holds one cookie more than the form's: that it answered, nothing of who.
    assert sorted(c["name"] for c in page.context.cookies()) == ["csrftoken", "voice_answered"]

    # Back by the same link: it says so, and shows the way to change the answers.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already answered")
    expect(page.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert serious(page) == []
    page.get_by_role("link", name="Withdraw my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your answers")
    assert serious(page) == []

    # A mistyped code names nothing; the error summary says what to do.
    page.get_by_label("Withdrawal code").fill("ABCDE-FGHJK-MNPQR-STVWX")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("No answers match this code")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("Technician voice 2026")).to_have_count(0)
    assert serious(page) == []

    # The right code, typed in lower case without hyphens: confirm, and the answers are gone.
    page.get_by_label("Withdrawal code").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your answers?")
    expect(page.get_by_text("“Technician voice 2026” of University of Aldermoor")).to_be_visible()
    assert serious(page) == []
    assert Response.objects.count() == 1
    page.get_by_role("button", name="Withdraw my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are withdrawn")
    assert serious(page) == []
    assert (Response.objects.count(), Comment.objects.count()) == (0, 0)

    # Someone else at this computer can still answer, on purpose.
    page.goto(link)
    page.get_by_role("link", name="Answer as someone else").click()
    page.get_by_role("group", name=re.compile("Where do you work")).get_by_label(
        "Shop", exact=True
    ).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert Response.objects.count() == 1
