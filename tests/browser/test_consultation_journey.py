"""Technician voice: a lead builds a consultation, six people answer without signing in (each in
a browser of their own, one without JavaScript), the lead moderates two comments and attaches
the summary to the self-assessment, whose PDF holds the figures and approved comments only."""

import re
from datetime import date

import pytest

from assessments import services as assessment_services
from assessments.models import Theme
from consultations.enums import QuestionKind
from consultations.models import Comment, Response, SharedQuestion
from signatories.enums import Role
from signatories.models import Organisation
from tests.browser.test_accessibility import AXE, CHECK, RULES, sign_in, violations
from tests.browser.test_accessibility import demo as demo  # the demo data, as a fixture here
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.pdf_text import body_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

# visibility, recognition (labels on the scale), where, comment
ANSWERS = [
    ("Agree", "Disagree", "Laboratory", "Rotas should name the technician on duty."),
    ("Strongly agree", "Disagree", "Laboratory", "Our manager names Dr Smith in every meeting."),
    ("Agree", "Agree", "Workshop", "A comment left waiting."),
    ("Agree", "Neither agree nor disagree", "Workshop", ""),
    ("Disagree", "Disagree", "Laboratory", ""),
    ("Strongly agree", "Agree", "Workshop", ""),
]


def serious(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(CHECK, RULES)
    return [v for v in found if "(serious)" in v or "(critical)" in v]


def answer(browser, live_server, link, visibility, recognition, where, comment, javascript):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Your answers are anonymous")).to_be_visible()
    page.get_by_role("group", name=re.compile("My contribution is visible")).get_by_label(
        visibility, exact=True
    ).check()
    page.get_by_role("group", name=re.compile("professional registration")).get_by_label(
        recognition, exact=True
    ).check()
    page.get_by_role("group", name=re.compile("Where do you work")).get_by_label(
        where, exact=True
    ).check()
    if comment:
        page.get_by_label(re.compile("Anything else")).fill(comment)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    # The form's CSRF cookie and one saying this consultation was answered, the same for
    # everyone: no session, nothing that tells respondents apart.
    cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
    assert sorted(cookies) == ["csrftoken", "voice_answered"]
    context.close()
    return cookies["voice_answered"]


def test_a_consultation_from_questions_to_the_pdf(page, browser, live_server):
    from playwright.sync_api import expect

    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    Organisation.objects.filter(pk=organisation.pk).update(signed_on=date(2025, 12, 1))
    organisation.refresh_from_db()
    lead = UserFactory(email="lead.a@example.org", full_name="Lena Aldous")
    MembershipFactory(organisation=organisation, role=Role.LEAD, user=lead)
    assessment = assessment_services.start_assessment(organisation, by=lead)
    SharedQuestion.objects.create(
        kind=QuestionKind.AGREEMENT,
        text="My contribution is visible to the people I work with.",
        theme=Theme.objects.get(slug="visibility"),
    )

    # The lead signs in and starts a consultation.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("lead.a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Technician voice").first.click()
    page.get_by_role("link", name="Start a consultation").click()
    page.get_by_label("Title").fill("Technician voice 2026")
    page.get_by_label("Introduction").fill("Tell us how we are doing.")
    page.get_by_label("Closing date").fill("2099-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technician voice 2026")

    # Questions: one from the sector's shared set, three of its own.
    page.get_by_label("Question from the sector's shared set").select_option(
        label="My contribution is visible to the people I work with."
    )
    page.get_by_role("button", name="Add from the shared set").click()
    for kind, text, theme, choices in [
        ("agreement", "I am encouraged to seek professional registration.", "Recognition", ""),
        ("single", "Where do you work?", "", "Laboratory\nWorkshop"),
        ("text", "Anything else?", "", ""),
    ]:
        page.get_by_label("Kind of question").select_option(kind)
        page.get_by_label("Question or statement").fill(text)
        if theme:
            page.get_by_label("Theme (for an agreement statement)").select_option(label=theme)
        if choices:
            page.get_by_label("Choices (for single or multiple choice), one a line").fill(choices)
        page.get_by_role("button", name="Add the question").click()
        expect(page.get_by_role("status")).to_contain_text("The question is added.")
    page.get_by_role("button", name="Open the consultation").click()
    link = page.get_by_label("Link for respondents").input_value()

    # Six people answer, each in a browser of their own, without signing in; the first page
    # passes axe at a phone's width and a desktop's, and the last works without JavaScript.
    respondent = browser.new_context(base_url=live_server.url, locale="en-GB")
    check = respondent.new_page()
    for width, height in [(390, 844), (1280, 800)]:
        check.set_viewport_size({"width": width, "height": height})
        check.goto(link)
        assert serious(check) == []
    respondent.close()
    answered = {
        answer(browser, live_server, link, *row, javascript=n != len(ANSWERS) - 1)
        for n, row in enumerate(ANSWERS)
    }
    assert len(answered) == 1
    assert Response.objects.count() == 6

    # The lead closes it, reads the results and moderates two of the three comments.
    page.get_by_role("button", name="Close the consultation").click()
    page.get_by_role("link", name="Comments").click()
    approve = page.locator(".card", has_text="Rotas should name the technician on duty.")
    approve.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("status")).to_contain_text("The comment is marked “Approved”.")
    reject = page.locator(".card", has_text="Our manager names Dr Smith")
    reject.get_by_role("button", name=re.compile("^Do not show")).click()
    expect(page.get_by_role("status")).to_contain_text("The comment is marked “Not shown”.")
    assert sorted(Comment.objects.values_list("status", flat=True)) == [
        "approved",
        "pending",
        "rejected",
    ]
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("6 people answered.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Visibility"))).to_be_visible()
    assert serious(page) == []

    # It attaches the summary to the self-assessment, not for publication.
    page.get_by_role("combobox", name=re.compile("^Self-assessment")).select_option(
        label=str(assessment)
    )
    page.get_by_role("button", name="Attach the summary").click()
    expect(page.get_by_role("status")).to_contain_text(
        "cite it in your answer on the technician voice"
    )

    # The self-assessment's PDF holds the summary's figures and the approved comment only.
    page.goto(f"/organisations/aldermoor/self-assessments/{assessment.pk}/pdf/")
    page.get_by_role("button", name="Make the PDF").click()  # the tests' tasks run at once
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible()
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.status == 200
    text = re.sub(r"\s+", " ", body_text(pdf.body()))
    assert "Technician voice consultation: Technician voice 2026" in text
    assert "6 people answered" in text
    assert "Visibility: 83% agree" in text
    assert "Recognition: 33% agree" in text
    assert "Rotas should name the technician on duty." in text
    assert "Dr Smith" not in text
    assert "A comment left waiting." not in text


def test_the_technician_voice_pages_pass_axe(page, demo, live_server):
    from consultations.models import Consultation

    closed = Consultation.objects.get(organisation__slug="fenwick", status="closed")
    draft = Consultation.objects.get(organisation__slug="fenwick", status="draft")
    sign_in(page, "lead@example.org", live_server)
    paths = [
        "/organisations/fenwick/consultations/",
        "/organisations/fenwick/consultations/new/",
        draft.get_absolute_url(),
        f"{draft.get_absolute_url()}edit/",
        closed.get_absolute_url(),
        f"{closed.get_absolute_url()}results/",
        f"{closed.get_absolute_url()}moderation/",
    ]
    found = {path: violations(page, path) for path in paths}
    sign_in(page, "reviewer@example.org", live_server)
    found["/sector/technician-voice/"] = violations(page, "/sector/technician-voice/")
    bad = {path: v for path, v in found.items() if v}
    assert bad == {}, bad
