"""Issue 12's "done when": a later-form self-assessment whose RAG answer says "see Appendix A",
with Appendix A the RAG analysis of a 30-action earlier plan (paragraph-long comments) and
Appendix B the new focus-year plan. The lead appends the review from the RAG question's panel;
three people sign; the reviewer asks for changes; the lead revises, so the three are asked to
sign again and do; the reviewer accepts; the lead publishes. The same content (appendix letters
and titles, review rows with their status words, plan actions) reads on the check page, the
sign-off page, the reviewer's workspace, the public page and the PDF.

Everything here is fictional. The plans, the review and the submission are built with services
where a click adds nothing; every step a person takes is clicked."""

from datetime import date

import pytest

from actionplans import services as plan_services
from actionplans.enums import STATUS_SHAPES, TimingStyle, status_word
from actionplans.enums import Status as S
from actionplans.models import ProgressReview
from assessments import services as assessment_services
from assessments.models import Question, SelfAssessment
from submissions import services
from tests.browser import helpers
from tests.browser.test_accessibility import violations
from tests.browser.test_submission_journey import open_as, people  # noqa: F401 - fixtures
from tests.pdf_text import clipped_cells

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_forms"),
]

EARLIER = "Aldermoor Technician Commitment Action Plan 2023–2026"
LATER = "Aldermoor Technician Commitment Action Plan 2026–2029"
RAG_ANSWER = (
    "Of the thirty actions of our 2023–2026 plan, eleven are complete, and every delayed action "
    "is explained with what happens next: see Appendix A."
)
REVISED_WORDS = "Technicians chose the focus years of every action at three open workshops."

# The earlier plan: (theme, action, status, what happened). Each comment is this, then a sentence
# that goes with its status.
EARLIER_ACTIONS = [
    (
        "visibility",
        "Publish a yearly census of technical staff by faculty",
        S.COMPLETE,
        "The census has been published each October since 2023 and now counts 702 technicians, "
        "including the 31 who work for the university's two subsidiary companies.",
    ),
    (
        "visibility",
        "Name technicians as contributors on research outputs",
        S.GREEN,
        "The research office added a technician field to the outputs database in 2024 and 214 "
        "papers now name the technical staff who ran the experiments behind them.",
    ),
    (
        "visibility",
        "Feature technicians in the undergraduate prospectus",
        S.COMPLETE,
        "Six technician profiles appeared in the 2025 prospectus and two in the open day film, "
        "chosen by the technical network rather than by the marketing team.",
    ),
    (
        "visibility",
        "Give technicians a seat on every faculty executive",
        S.AMBER,
        "Two of four faculties have a technician member; Health and Life Sciences will follow "
        "when its committees are restructured next spring.",
    ),
    (
        "visibility",
        "Hold an annual technician showcase",
        S.COMPLETE,
        "Three showcases have run in the Great Hall, the last with 41 posters and a talk from the "
        "marine field station's boat crew.",
    ),
    (
        "visibility",
        "Cost technician time visibly in research grant bids",
        S.RED,
        "The costing tool still hides technician time inside directly allocated costs; finance "
        "has agreed a separate line but the tool's supplier has not delivered it.",
    ),
    (
        "visibility",
        "Create a technician network page on the intranet",
        S.COMPLETE,
        "The page went live in March 2024 and carries the network's minutes, its calendar and a "
        "directory of specialist skills that researchers search before they buy a service.",
    ),
    (
        "visibility",
        "Include technical staff in the estates strategy",
        S.GREEN,
        "Technical managers sat on the strategy's working groups and the new science building's "
        "brief names the workshop and store spaces they asked for.",
    ),
    (
        "recognition",
        "Support thirty technicians to professional registration",
        S.AMBER,
        "Nineteen technicians have registered with the Science Council so far; eight more are "
        "preparing their applications with a mentor from the network.",
    ),
    (
        "recognition",
        "Apply to become a Science Council Employer Champion",
        S.NOT_STARTED,
        "We need six registered staff in each faculty before applying and two faculties are "
        "still short, so the application moves into the new plan.",
    ),
    (
        "recognition",
        "Start an annual technician award",
        S.COMPLETE,
        "The Aldermoor technician awards have been given twice, in five categories, with "
        "nominations from academics, students and technicians themselves.",
    ),
    (
        "recognition",
        "Nominate technicians for national awards",
        S.GREEN,
        "Four colleagues were shortlisted for national prizes in 2025 and one won, for the "
        "teaching laboratory's redesign of practical chemistry classes.",
    ),
    (
        "recognition",
        "Support technicians to gain teaching fellowships",
        S.AMBER,
        "Seven technicians hold an associate fellowship; the academic practice unit is adapting "
        "its course so that practical teaching counts in full.",
    ),
    (
        "recognition",
        "Recognise technical contributions in promotion criteria",
        S.RED,
        "The new criteria were drafted but the promotions committee asked for evidence from "
        "other universities first, which delayed the decision by a full year.",
    ),
    (
        "recognition",
        "Thank technicians in the vice-chancellor's annual review",
        S.COMPLETE,
        "Every annual review since 2024 has a page on the technical community, written with "
        "the network's committee.",
    ),
    (
        "career-development",
        "Write a technician career pathway with grade maps",
        S.AMBER,
        "The pathway covers laboratory and workshop roles; information technology and creative "
        "roles are being mapped with their managers this year.",
    ),
    (
        "career-development",
        "Signpost development opportunities for every grade",
        S.GREEN,
        "The learning portal now lists courses by technical grade and the network reviews the "
        "list every term with the staff development team.",
    ),
    (
        "career-development",
        "Publish technician career case studies",
        S.COMPLETE,
        "Twelve case studies are on the careers website, from apprentice to facility manager, "
        "each written by the technician it describes.",
    ),
    (
        "career-development",
        "Fund a technician development fund",
        S.COMPLETE,
        "The fund has paid for 88 courses and conference places since 2023, with priority for "
        "colleagues in the first three grades.",
    ),
    (
        "career-development",
        "Offer mentoring to every new technician",
        S.GREEN,
        "Forty mentors are trained and every new technician is offered one in their first "
        "month; take-up is about two in three.",
    ),
    (
        "career-development",
        "Create senior technical specialist roles",
        S.RED,
        "Two roles were approved but recruitment stopped during the spending review; they are "
        "advertised again this autumn with the same job descriptions.",
    ),
    (
        "career-development",
        "Give technicians time for development in workload plans",
        S.AMBER,
        "Five days a year are agreed in principle; three departments record them in workload "
        "plans so far and the rest are asked to by next summer.",
    ),
    (
        "career-development",
        "Run a leadership course for technical managers",
        S.COMPLETE,
        "Two cohorts of eighteen managers completed the course, which was designed with the "
        "regional technician development centre.",
    ),
    (
        "sustainability",
        "Analyse the age profile of technical teams",
        S.COMPLETE,
        "The analysis showed that a quarter of workshop staff can retire within five years, and "
        "it now informs every vacancy the faculties plan.",
    ),
    (
        "sustainability",
        "Start a technical apprenticeship programme",
        S.GREEN,
        "Fourteen apprentices have started since 2024 in laboratories, workshops and digital "
        "services; the first four finished and all stayed with us.",
    ),
    (
        "sustainability",
        "Use the apprenticeship levy to upskill existing staff",
        S.AMBER,
        "Nine technicians are on levy-funded courses; the human resources team is simplifying "
        "the application form after complaints about its length.",
    ),
    (
        "sustainability",
        "Set up technician secondments between faculties",
        S.NOT_STARTED,
        "The scheme was designed but no faculty could release staff during the move into the new "
        "building; it starts in the new plan with two pilot places.",
    ),
    (
        "sustainability",
        "Write succession plans for single-person specialisms",
        S.RED,
        "Only three of eleven specialisms have a written plan; the faculty technical managers "
        "will finish the rest once the census names every such role.",
    ),
    (
        "sustainability",
        "Share equipment and expertise across campuses",
        S.GREEN,
        "A shared booking system now covers 160 instruments at the city campus, Fenside and the "
        "field station, with a technician named for each.",
    ),
    (
        "sustainability",
        "Review technician recruitment for fairness",
        S.COMPLETE,
        "Every technical advert now goes through the inclusive recruitment check, and "
        "shortlisting panels include a technician from outside the hiring team.",
    ),
]
FOLLOW_UP = {
    S.COMPLETE: "The technical steering group closed the action at its last meeting and the "
    "evidence is kept with the minutes for the next self-assessment.",
    S.GREEN: "It is on track for the date in the plan, and the action's owner reports to the "
    "technical steering group every quarter.",
    S.AMBER: "Work has started but is not finished; it is carried into the new plan with a "
    "revised target date agreed with its owner.",
    S.RED: "The steering group discussed the delay twice and asked the action's owner for a "
    "recovery plan, which is now in the new plan.",
    S.NOT_STARTED: "It was not started in this plan's period and moves into the new plan with "
    "an owner and a first step for the coming year.",
}
# Rows read back on every page: (action, status, comment).
SAMPLE = [EARLIER_ACTIONS[n] for n in (0, 5, 9, 20)]
LATER_ACTIONS = [
    ("visibility", "Put technician time on its own line in every grant bid", [2027]),
    ("recognition", "Become a Science Council Employer Champion", [2027, 2028]),
    ("career-development", "Appoint two senior technical specialists", [2026, 2027]),
    ("sustainability", "Pilot secondments between faculties", [2028, 2029]),
]


def comment_of(status, what: str) -> str:
    return f"{what} {FOLLOW_UP[status]}"


@pytest.fixture
def submission(people):  # noqa: F811 - the fixture imported above
    """The later form, filled in, whose RAG answer says "see Appendix A"; the earlier plan and
    its finalised progress review (not yet appended); the new focus-year plan."""
    lead, organisation, assessment = people["lead"], people["organisation"], people["assessment"]
    earlier = plan_services.create_plan(
        organisation, by=lead, title=EARLIER, starts_on=date(2023, 10, 1), horizon_months=36
    )
    for theme, title, _status, _what in EARLIER_ACTIONS:
        plan_services.add_action(earlier.headings.get(theme__slug=theme), by=lead, title=title)
    review = plan_services.begin_review(
        earlier,
        by=lead,
        reviewed_on=date(2026, 6, 15),
        period_from=date(2023, 10, 1),
        period_to=date(2026, 5, 31),
        overall_status=S.AMBER,
    )
    by_title = {e.action.title: e for e in review.entries.select_related("action")}
    for _theme, title, status, what in EARLIER_ACTIONS:
        entry = by_title[title]
        entry.status, entry.comment = status, comment_of(status, what)
        entry.save()
    plan_services.finalise_review(review, by=lead)

    later = plan_services.create_plan(
        organisation,
        by=lead,
        title=LATER,
        starts_on=date(2026, 10, 1),
        horizon_months=36,
        timing_style=TimingStyle.YEARS,
        assessment=assessment,
    )
    for theme, title, years in LATER_ACTIONS:
        plan_services.add_action(
            later.headings.get(theme__slug=theme), by=lead, title=title, focus_years=years
        )
    question = Question.objects.get(
        section__form_version=assessment.form_version, key="rag_analysis"
    )
    current = assessment.answers.get(question=question, theme=None)
    assessment_services.save_answer(
        assessment, question, text=f"<p>{RAG_ANSWER}</p>", base_version=current.version, by=lead
    )
    return {**people, "review": review, "rag_section": question.section}


def words(text: str) -> str:
    return " ".join(text.split())


def html_expected() -> list[str]:
    """What every page of the document reads, in its own words (as the browser shows text)."""
    found = [
        RAG_ANSWER,
        f"See Appendix A: RAG analysis of {EARLIER}.",
        f"Appendix A: RAG analysis of {EARLIER}",
        f"Project {EARLIER} Author Lena Aldous Date of the review 15 June 2026",
        "Period covered from 1 October 2023 to 31 May 2026 Overall status ▲ In progress",
        f"Appendix B: {LATER}",
    ]
    for _theme, title, status, what in SAMPLE:
        word = status_word({}, status)
        found.append(f"{title} {STATUS_SHAPES[status]} {word} {comment_of(status, what)}")
    found += [title for _theme, title, _years in LATER_ACTIONS]
    return found


def reads_the_document(page) -> None:
    text = words(page.get_by_role("main").inner_text())
    assert [line for line in html_expected() if line not in text] == []


def sign(page, assessment, title, revision=1):
    helpers.sign(
        page, assessment, title, reads=reads_the_document, revision=revision, added=REVISED_WORDS
    )


def release(reviewer, base, feedback: str, decision: str) -> None:
    reviewer.goto(f"{base}/review/")
    reads_the_document(reviewer)
    reviewer.get_by_role("textbox", name="Overall feedback").fill(feedback)
    reviewer.get_by_role("radio", name=decision).check()
    reviewer.get_by_role("button", name="Save feedback").click()
    reviewer.get_by_role("button", name="Release feedback to the organisation").click()


def test_a_rag_analysis_appendix_reads_the_same_from_draft_to_pdf(
    open_as,  # noqa: F811
    submission,
    browser,
    live_server,
):
    from playwright.sync_api import expect

    assessment, review = submission["assessment"], submission["review"]
    base = f"/organisations/aldermoor/self-assessments/{assessment.pk}"
    lead = open_as(submission["lead"])

    # The lead appends the earlier plan's review beside the RAG-analysis question.
    lead.goto(f"{base}/sections/{submission['rag_section'].position}/")
    card = lead.locator("#rag-appendices")
    expect(card).to_contain_text("No progress review is appended.")
    card.get_by_role(
        "button", name=f"Append the review of 15 June 2026 of {EARLIER} as an appendix"
    ).click()
    expect(lead.locator("#rag-appendices")).to_contain_text(
        "The progress review is appended as Appendix A."
    )
    expect(lead.locator("#rag-appendices")).to_contain_text(
        f"Appendix A: RAG analysis of {EARLIER}"
    )
    assert ProgressReview.objects.get(pk=review.pk).appended_to_id == assessment.pk
    assert violations(lead, f"{base}/sections/{submission['rag_section'].position}/") == []

    # It finishes the last section and checks its answers, appendices included.
    lead.goto(f"{base}/")
    lead.get_by_role("link", name=submission["last_section"].title).click()
    lead.get_by_label("Mark this section as complete").check()
    lead.get_by_role("button", name="Save and").first.click()
    lead.goto(f"{base}/check/")
    reads_the_document(lead)
    lead.goto(f"{base}/submission/")
    lead.get_by_role("button", name="Request sign-off").click()
    expect(lead.get_by_text("Revision 1 is ready to sign")).to_be_visible()

    # Three people read and sign revision 1.
    sponsor, leader = open_as(submission["sponsor"]), open_as(submission["leader"])
    sign(lead, assessment, "Nominated Institutional Lead")
    sign(sponsor, assessment, "Nominated Sponsor")
    sign(leader, assessment, "Signatory – Leader of Institution")
    helpers.submit(lead, assessment, 1)
    services.assign(
        SelfAssessment.objects.get(pk=assessment.pk),
        reviewer=submission["reviewer"],
        by=submission["admin"],
    )

    # The reviewer reads it, appendices included, and asks for changes.
    reviewer = open_as(submission["reviewer"])
    release(reviewer, base, "Say how technicians chose the focus years.", "Request changes")
    assert SelfAssessment.objects.get(pk=assessment.pk).status == "changes_requested"

    # The lead revises an answer: the hash changed, so the three sign again.
    voice = Question.objects.get(
        section__form_version=assessment.form_version, key="technician_voice"
    )
    helpers.retype_answer(lead, f"{base}/sections/{voice.section.position}/", voice, REVISED_WORDS)
    lead.goto(f"{base}/submission/")
    expect(
        lead.get_by_text("The answers have changed since revision 1 was signed.")
    ).to_be_visible()
    lead.get_by_role("button", name="Request sign-off again").click()
    sign(lead, assessment, "Nominated Institutional Lead", revision=2)
    sign(sponsor, assessment, "Nominated Sponsor", revision=2)
    sign(leader, assessment, "Signatory – Leader of Institution", revision=2)
    helpers.submit(lead, assessment, 2)

    # The reviewer accepts; the lead publishes.
    release(reviewer, base, "Thank you: a clear account of the technician voice.", "Accept")
    assert SelfAssessment.objects.get(pk=assessment.pk).status == "accepted"
    lead.goto("/organisations/aldermoor/publications/")
    lead.get_by_role("button", name="Publish the self-assessment").click()

    # The public, signed in as nobody, finds it and reads the page and the PDF.
    public = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        anonymous = public.new_page()
        anonymous.goto("/directory/")
        anonymous.get_by_role("link", name="University of Aldermoor", exact=True).click()
        anonymous.get_by_role("link", name="Technician Commitment self-assessment").first.click()
        reads_the_document(anonymous)
        assert violations(anonymous, anonymous.url) == []
        signatures = anonymous.get_by_role("region", name="Signatures")
        expect(signatures.get_by_text("Signed revision 2, as published.")).to_have_count(3)
        pdf = anonymous.get_by_role("link", name="Download the PDF").get_attribute("href")
        response = anonymous.request.get(pdf)
        assert response.headers["content-type"] == "application/pdf"
        data = response.body()
    finally:
        public.close()
    assert clipped_cells(data, pdf_expected()) == []


def pdf_expected() -> list[str]:
    """What the PDF must hold, each a cell or a line read in order (pdf_text.clipped_cells)."""
    found = [
        RAG_ANSWER,
        f"See Appendix A: RAG analysis of {EARLIER}.",
        f"Appendix A: RAG analysis of {EARLIER}",
        "Period covered from 1 October 2023 to 31 May 2026",
        f"Appendix B: {LATER}",
    ]
    for _theme, title, status, what in SAMPLE:
        found += [title, f"{STATUS_SHAPES[status]} {status_word({}, status)}"]
        found.append(comment_of(status, what))
    return found + [title for _theme, title, _years in LATER_ACTIONS]
