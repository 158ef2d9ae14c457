"""A fictional demo of the public side, so that `make run` shows a signatory with published
documents: Kelderby's first self-assessment, accepted, with its plan and a progress review."""

import io
from datetime import date

from django.core.files.base import ContentFile

from actionplans import papers
from actionplans import services as plan_services
from actionplans.enums import Status
from publications import services
from publications.models import Publication
from signatories.models import Organisation, User
from submissions import services as flow
from submissions.demo import fill_in_and_submit
from submissions.models import Feedback

ANSWERS = {
    "profile": (
        "<p>The Kelderby Institute of Agriculture is a research institute in the Scottish "
        "Borders, studying soils, crops and livestock on 900 hectares of trial farms.</p>"
        "<p>Of its 260 staff, 72 are technicians: field and farm teams, laboratory analysts, "
        "and the engineers who build and mend the Institute's sensors and machinery.</p>"
    ),
    "technician_definition": (
        "<p>Technicians are staff in our technical grades, and the farm staff whose work "
        "carries our field trials.</p>"
    ),
    "technician_numbers": (
        "<p>72 technicians: 30 on the farms, 28 in the laboratories and 14 in engineering.</p>"
    ),
    "initiatives_before": (
        "<ul><li>An annual technician showcase day.</li>"
        "<li>A fund for technicians to attend conferences.</li></ul>"
    ),
    "technician_voice": (
        "<p>The plan was drafted by a group of eight technicians chosen by their teams, and "
        "every technician could comment on it for a month.</p>"
    ),
    "action_plan": "<p>See our 24-month action plan in the portal.</p>",
}
THEMES = {
    "visibility": "<p>Technicians are now named on every trial report they work on.</p>",
    "recognition": "<p>Six technicians became registered science technicians.</p>",
    "career-development": "<p>Every technician now has a yearly development conversation.</p>",
    "sustainability": "<p>Two farm apprentices joined in spring.</p>",
}
HEADER = {
    "organisation": "Kelderby Institute of Agriculture",
    "lead_name": "Fiona Lennox",
    "lead_email": "kelderby.lead@example.org",
    "lead_telephone": "01835 000 000",
    "publication": "https://www.example.org/kelderby/technician-commitment",
}
# heading, title, led by, success criteria, status, comment in the progress review
ACTIONS = [
    (
        "visibility",
        "Name technicians on every trial report and paper they contribute to",
        "RD",
        "All reports from this year name their technicians",
        Status.GREEN,
        "",
    ),
    (
        "visibility",
        "Publish a page about each technical team on the Institute's website",
        "COM/TL",
        "Pages live for all eleven teams",
        Status.COMPLETE,
        "All eleven pages are live.",
    ),
    (
        "recognition",
        "Fund professional registration for every technician who wants it",
        "TL",
        "Twelve registrations in two years",
        Status.AMBER,
        "Six done, four in progress.",
    ),
    (
        "career-development",
        "Agree a technical career framework with the union",
        "HR/TL",
        "Framework agreed and used in appraisals",
        Status.RED,
        "Talks paused while the pay review finishes; they restart in the spring.",
    ),
    (
        "sustainability",
        "Take on two farm apprentices a year",
        "HR/FM",
        "Four apprentices in post by the end of the plan",
        Status.GREEN,
        "",
    ),
]
KEY = [
    ("RD", "Research Director"),
    ("TL", "Technician Commitment lead"),
    ("HR", "Human Resources"),
    ("COM", "Communications"),
    ("FM", "Farm Manager"),
]


def seed_demo_publications(today: date) -> None:
    """Once: Kelderby's self-assessment goes through the whole flow and is accepted; its plan
    and a finalised progress review are published, with their PDFs."""
    kelderby = Organisation.objects.get(slug="kelderby")
    published = Publication.objects.filter(organisation=kelderby, kind="self_assessment").first()
    if published:
        # The demo's organisation rows are refreshed on every run; keep the accepted date.
        Organisation.objects.filter(pk=kelderby.pk).update(
            last_assessed_on=date.fromisoformat(published.content["submitted_on"])
        )
        return
    lead = User.objects.get(email="kelderby.lead@example.org")
    leader = User.objects.get(email="kelderby.leader@example.org")
    reviewer = User.objects.get(email="reviewer@example.org")
    admin = User.objects.get(email="admin@example.org")
    made = {}

    def write_the_plan(assessment):
        plan = plan_services.create_plan(
            kelderby, by=lead, starts_on=date(today.year, today.month, 1), assessment=assessment
        )
        for code, title in KEY:
            plan_services.add_owner_code(plan, code, title)
        headings = {h.theme.slug: h for h in plan.headings.select_related("theme")}
        made["plan"] = plan
        made["actions"] = [
            plan_services.add_action(
                headings[heading], by=lead, title=title, led_by=led_by, success_criteria=criteria
            )
            for heading, title, led_by, criteria, _, _ in ACTIONS
        ]

    assessment = fill_in_and_submit(
        kelderby,
        lead=lead,
        leader=leader,
        answers=ANSWERS,
        themes=THEMES,
        header=HEADER,
        today=today,
        before_sign_off=write_the_plan,
    )
    plan, actions = made["plan"], made["actions"]
    snapshot = flow.latest_snapshot(assessment)
    Feedback.objects.create(
        snapshot=snapshot,
        text="A clear first self-assessment with a plan the technicians plainly wrote. "
        "Next time, say how you will measure the plan's impact.",
        decision="accept",
        updated_by=reviewer,
    )
    flow.release_feedback(snapshot, by=admin)
    plan.refresh_from_db()
    services.publish_self_assessment(assessment, by=lead)
    services.publish_plan(plan, by=lead)
    review = plan_services.start_review(
        plan, by=lead, reviewed_on=today, period_from=plan.starts_on, period_to=today
    )
    for action, (*_, status, comment) in zip(actions, ACTIONS, strict=True):
        review.entries.filter(action=action).update(status=status, comment=comment)
    review.overall_status = Status.AMBER
    review.summary = "A good start: most actions are under way; the career framework waits."
    review.save(update_fields=["overall_status", "summary"])
    plan_services.finalise_review(review, by=lead)
    review.refresh_from_db()
    services.publish_review(review, by=lead)
    paper = papers.start_update_paper(
        review,
        by=lead,
        title=papers.default_title(today),
        dated_on=today,
        periods=papers.plan_periods(plan)[:1],
    )
    paper.introduction = (
        "<h3>Purpose</h3><p>This paper tells the college's governing body how the first months "
        "of the plan went.</p><h3>What it covers</h3><ul><li>What the technicians achieved</li>"
        "<li>What the steering group said</li><li>What comes next</li></ul>"
    )
    paper.feedback = "A clear first self-assessment with a plan the technicians plainly wrote."
    paper.feedback_source = "Technician Commitment steering group"
    paper.feedback_on = today
    paper.next_steps = "Agree the career framework with the staff network."
    paper.next_steps_due_on = plan_services.add_months(today, 6)
    paper.save()
    services.publish_update_paper(paper, by=lead)
    # Its earlier cycle, approved before the portal, with the original shown to the public.
    plan_services.record_earlier_plan(
        kelderby,
        by=lead,
        title="Kelderby Technician Commitment Action Plan (earlier cycle)",
        starts_on=date(today.year - 3, 4, 1),
        ends_on=date(today.year - 1, 3, 1),
        approved_on=date(today.year - 3, 3, 12),
        original=ContentFile(blank_pdf(), name="kelderby-earlier-plan.pdf"),
        original_public=True,
    )


def blank_pdf() -> bytes:
    """A one-page PDF standing in for an earlier plan's original (the demo's text is ours)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
