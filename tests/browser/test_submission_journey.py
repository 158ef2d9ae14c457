"""The whole flow with four people: the lead finishes the self-assessment and asks for sign-off;
the lead, the sponsor and the head of institution sign; the lead submits; a reviewer asks for
changes with a comment; the lead replies and revises; the changed answers go back to the three
signers, who sign revision 2 after reading what changed; the lead resubmits; the reviewer sees
what changed and accepts; the lead reads the released feedback and publishes, and the public
page carries the signatures of revision 2."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Question, Section, SectionCompletion, SelfAssessment
from signatories.enums import Role
from signatories.models import Organisation
from submissions import services
from submissions.models import Reviewer, Snapshot
from tests.browser import helpers
from tests.conftest import with_totp
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.submissions.conftest import fill_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

COMMENT = "Please say how technicians shaped the plan, not only that they were consulted."
NOTE = "Reviewer-only: compare with their 2023 submission before deciding."
REVISED_WORDS = "Technicians drafted every action at four open workshops and chose the priorities."


@pytest.fixture
def people(official_forms):
    organisation = OrganisationFactory(
        name="University of Aldermoor", short_name="Aldermoor", slug="aldermoor"
    )
    # Signed long ago; its last self-assessment was accepted before the portal: the later form.
    Organisation.objects.filter(pk=organisation.pk).update(
        signed_on=date(2019, 5, 1), last_assessed_on=date(2023, 9, 30)
    )
    organisation.refresh_from_db()
    cast = {
        "lead": ("lead.a@example.org", "Lena Aldous", "Head of Technical Services", Role.LEAD),
        "sponsor": ("sponsor.a@example.org", "Sara Ainsley", "Pro Vice-Chancellor", Role.SPONSOR),
        "leader": ("leader.a@example.org", "Leo Arden", "Vice-Chancellor", Role.LEADER),
    }
    people = {"organisation": organisation}
    for key, (email, name, title, role) in cast.items():
        user = UserFactory(email=email, full_name=name, job_title=title, telephone="0151 000")
        MembershipFactory(organisation=organisation, role=role, user=user)
        people[key] = user
    reviewer = with_totp(
        UserFactory(email="reviewer@example.org", full_name="Rhys Vaughan", is_reviewer=True)
    )
    Reviewer.objects.create(user=reviewer, trained_on=date(2026, 3, 1))
    people["reviewer"] = reviewer
    people["admin"] = UserFactory(
        email="admin@example.org", full_name="Ada Minter", is_staff=True, is_superuser=True
    )
    assessment = assessment_services.start_assessment(
        organisation, by=people["lead"], today=date(2026, 7, 1)
    )
    assert assessment.form_version.slug == "later-form"
    fill_in(assessment, people["lead"], words="Our answer for this cycle.")
    # The lead finishes the last section in the browser.
    last = Section.objects.filter(form_version=assessment.form_version).order_by("position").last()
    SectionCompletion.objects.filter(assessment=assessment, section=last).delete()
    people["assessment"] = assessment
    people["last_section"] = last
    return people


@pytest.fixture
def open_as(browser, live_server):
    """A browser of one's own for each person, signed in; all closed at the end."""
    contexts = []

    def open_for(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and errors.append(m.text)
            ),
        )
        return page

    errors = []
    yield open_for
    for context in contexts:
        context.close()
    # A Content-Security-Policy violation or a script error fails the journey.
    assert errors == []


def sign(page, assessment, title, revision=1):
    from playwright.sync_api import expect

    def reads(page):
        expect(page.get_by_text("Our answer for this cycle.").first).to_be_visible()

    helpers.sign(page, assessment, title, reads=reads, revision=revision, added=REVISED_WORDS)


def test_the_whole_flow_from_draft_to_accepted(open_as, people):
    from playwright.sync_api import expect

    assessment = people["assessment"]
    base = f"/organisations/aldermoor/self-assessments/{assessment.pk}"
    lead = open_as(people["lead"])

    # The lead completes the last section and asks for sign-off.
    lead.goto(f"{base}/")
    lead.get_by_role("link", name=people["last_section"].title).click()
    lead.get_by_label("Mark this section as complete").check()
    lead.get_by_role("button", name="Save and").first.click()
    lead.get_by_role("link", name="Sign-off and submission").click()
    lead.get_by_role("button", name="Request sign-off").click()
    expect(lead.get_by_text("Revision 1 is ready to sign")).to_be_visible()
    sign_offs = lead.get_by_role("table", name="Who signs revision 1")
    expect(sign_offs.get_by_role("row", name="Nominated Sponsor")).to_contain_text("Requested")

    # The lead, the sponsor and the head of institution each sign revision 1.
    sign(lead, assessment, "Nominated Institutional Lead")
    sponsor = open_as(people["sponsor"])
    sign(sponsor, assessment, "Nominated Sponsor")
    leader = open_as(people["leader"])
    sign(leader, assessment, "Signatory – Leader of Institution")
    sign_offs = leader.get_by_role("table", name="Who signs revision 1")
    expect(sign_offs.get_by_role("row", name="Signatory – Leader of Institution")).to_contain_text(
        "Leo Arden, Vice-Chancellor"
    )

    # The lead submits; the steering group assigns a reviewer.
    helpers.submit(lead, assessment, 1)
    services.assign(
        SelfAssessment.objects.get(pk=assessment.pk),
        reviewer=people["reviewer"],
        by=people["admin"],
    )

    # The reviewer asks for changes, with a comment for the organisation and a private note.
    reviewer = open_as(people["reviewer"])
    reviewer.goto("/")
    reviewer.get_by_role("link", name="My reviews").click()
    reviewer.get_by_role("link", name="University of Aldermoor").click()
    voice_section = Question.objects.get(
        section__form_version=assessment.form_version, key="technician_voice"
    ).section
    comment_form = reviewer.locator("form").filter(
        has=reviewer.get_by_label(f"Your comment on {voice_section.title}")
    )
    comment_form.get_by_label(f"Your comment on {voice_section.title}").fill(COMMENT)
    comment_form.get_by_label("Share with the organisation").check()
    comment_form.get_by_role("button", name="Save comment").click()
    comment_form = reviewer.locator("form").filter(
        has=reviewer.get_by_label(f"Your comment on {voice_section.title}")
    )
    comment_form.get_by_label(f"Your comment on {voice_section.title}").fill(NOTE)
    comment_form.get_by_role("button", name="Save comment").click()
    expect(reviewer.get_by_text("Note for reviewers only")).to_be_visible()
    reviewer.get_by_role("textbox", name="Overall feedback").fill(
        "A clear account of two busy years. Show how technicians shaped the plan, then resubmit."
    )
    reviewer.get_by_role("radio", name="Request changes").check()
    reviewer.get_by_role("button", name="Save feedback").click()
    reviewer.get_by_role("button", name="Release feedback to the organisation").click()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == "changes_requested"

    # The lead reads the feedback (never the note), replies, revises and resubmits.
    lead.goto(f"{base}/submission/")
    lead.get_by_role("link", name="Read the feedback").click()
    expect(lead.get_by_text(COMMENT)).to_be_visible()
    expect(lead.get_by_text("Reviewer-only")).to_have_count(0)
    lead.get_by_label("Your reply").fill("Thank you: we have added how the workshops worked.")
    lead.get_by_role("button", name="Reply").click()
    expect(lead.get_by_text("Thank you: we have added how the workshops worked.")).to_be_visible()
    voice = Question.objects.get(
        section__form_version=assessment.form_version, key="technician_voice"
    )
    helpers.retype_answer(lead, f"{base}/sections/{voice.section.position}/", voice, REVISED_WORDS)
    # The answers changed since they were signed: the three sign revision 2 before it goes back.
    lead.goto(f"{base}/submission/")
    expect(
        lead.get_by_text("The answers have changed since revision 1 was signed.")
    ).to_be_visible()
    expect(lead.get_by_role("button", name="Submit the revised self-assessment")).to_have_count(0)
    lead.get_by_role("button", name="Request sign-off again").click()
    expect(lead.get_by_text("Revision 2 is ready to sign")).to_be_visible()
    sign(lead, assessment, "Nominated Institutional Lead", revision=2)
    sign(sponsor, assessment, "Nominated Sponsor", revision=2)
    sign(leader, assessment, "Signatory – Leader of Institution", revision=2)
    helpers.submit(lead, assessment, 2)

    # The reviewer sees what changed and accepts.
    reviewer.goto(f"{base}/review/")
    reviewer.get_by_role("link", name="What changed since revision 1").click()
    expect(reviewer.get_by_text("Added: Technicians drafted every action")).to_be_visible()
    reviewer.goto(f"{base}/review/")
    reviewer.get_by_role("textbox", name="Overall feedback").fill(
        "Thank you for the fuller account of the technician voice. Accepted."
    )
    reviewer.get_by_role("radio", name="Accept").check()
    reviewer.get_by_role("button", name="Save feedback").click()
    reviewer.get_by_role("button", name="Release feedback to the organisation").click()

    # The lead sees the released feedback, and the trail of everything that happened.
    lead.goto(f"{base}/submission/")
    expect(lead.locator(".lead")).to_contain_text("Accepted")
    lead.get_by_role("link", name="Read the feedback").click()
    expect(lead.get_by_text("Thank you for the fuller account")).to_be_visible()
    assert [s.revision for s in Snapshot.objects.exclude(submitted_at=None)] == [1, 2]
    organisation = Organisation.objects.get(pk=people["organisation"].pk)
    assert organisation.last_assessed_on == timezone.localdate()
    lead.goto(f"{base}/submission/")
    trail = lead.get_by_role("table", name="Every change of state and every sign-off")
    for text in (
        "Draft → Awaiting sign-off",
        "Nominated Sponsor signed by Sara Ainsley, Pro Vice-Chancellor.",
        "Awaiting sign-off → Submitted",
        "Under review → Changes requested",
        "Changes requested → Awaiting sign-off",
        "Sign-off requested again (revision 1 was signed) for revision 2.",
        "Awaiting sign-off → Submitted",
        "Under review → Accepted",
    ):
        expect(trail).to_contain_text(text)

    # Published, it carries the three signatures of revision 2, each saying so.
    lead.goto("/organisations/aldermoor/publications/")
    lead.get_by_role("button", name="Publish the self-assessment").click()
    lead.get_by_role("link", name="Technician Commitment self-assessment").first.click()
    signatures = lead.get_by_role("region", name="Signatures")
    for name in ("Lena Aldous", "Sara Ainsley", "Leo Arden"):
        expect(signatures).to_contain_text(name)
    expect(signatures.get_by_text("Signed revision 2, as published.")).to_have_count(3)
    expect(signatures).not_to_contain_text("earlier revision")
