"""A fictional demo action plan, so that `make run` shows a plan being built and reviewed."""

from datetime import date

from actionplans import services
from actionplans.enums import Status
from actionplans.models import ActionPlan
from actionplans.transfer import parse_month
from assessments.models import SelfAssessment
from signatories.models import Organisation, User

KEY = [
    ("DIR", "Director of Operations (sponsor)"),
    ("TL", "Technician Commitment lead"),
    ("TN", "Technician network committee"),
    ("HR", "Human Resources"),
    ("COM", "Communications team"),
]
WORDING = {
    Status.RED: ("Behind", "Late or blocked: the comment says why and what happens next."),
    Status.AMBER: ("Under way", "Started, not yet finished."),
    Status.GREEN: ("On course", "Going to plan."),
    Status.COMPLETE: ("Done", "Finished, with evidence."),
}
# heading, title, led by, phase 1 target, phase 2 target, success criteria, status, comment
ACTIONS = [
    (
        "Ongoing actions",
        "Report progress to the Institute's executive board twice a year",
        "TL/DIR",
        "Jun 2027",
        "Jun 2028",
        "Board minutes record each report",
        Status.GREEN,
        "",
    ),
    (
        "visibility",
        "Publish a directory of every technical team and facility",
        "TL/COM",
        "Mar 2027",
        "",
        "Directory live on the website; visits tracked",
        Status.COMPLETE,
        "Live since February, 1,900 visits so far.",
    ),
    (
        "visibility",
        "Name technicians as authors or in acknowledgements of papers they contributed to",
        "DIR",
        "",
        "Dec 2027",
        "Publication policy updated; share of papers naming technicians",
        Status.AMBER,
        "Draft policy with the research committee.",
    ),
    (
        "visibility",
        "Give the technician network a seat on the Institute's operations committee",
        "DIR/TN",
        "Jan 2027",
        "",
        "Seat filled; minutes show technician items",
        Status.COMPLETE,
        "",
    ),
    (
        "recognition",
        "Support twelve technicians to register as RSciTech or RSci",
        "TL/HR",
        "",
        "Nov 2028",
        "Twelve new registrations",
        Status.AMBER,
        "Five registered, four applications in progress.",
    ),
    (
        "recognition",
        "Add a technical excellence category to the Director's awards",
        "DIR",
        "May 2027",
        "",
        "First award presented",
        Status.RED,
        "Postponed: the awards ceremony moved to the autumn.",
    ),
    (
        "career-development",
        "Write a technical career framework with progression criteria for every grade",
        "HR/TL",
        "",
        "Sep 2028",
        "Framework approved and in use at appraisal",
        Status.NOT_STARTED,
        "",
    ),
    (
        "career-development",
        "Fund two days of development a year for every technician",
        "DIR/HR",
        "Apr 2027",
        "",
        "Training records show two days each",
        Status.GREEN,
        "",
    ),
    (
        "sustainability",
        "Start an apprenticeship in marine engineering with the local college",
        "HR",
        "",
        "Sep 2028",
        "Two apprentices enrolled",
        Status.AMBER,
        "College partnership agreed.",
    ),
    (
        "sustainability",
        "Map the skills that only one person holds and plan their succession",
        "TL/TN",
        "Nov 2027",
        "",
        "Succession plan for every single-person skill",
        Status.NOT_STARTED,
        "",
    ),
    (
        "Staff wellbeing",
        "Run a wellbeing survey of technical staff at sea and ashore",
        "TN/HR",
        "Jul 2027",
        "",
        "Survey response rate over 60 %",
        Status.GREEN,
        "",
    ),
]


def seed_demo_plans(today: date) -> None:
    """Fenwick's first plan, once: headings, key, its own status words, actions and a review."""
    fenwick = Organisation.objects.get(slug="fenwick")
    if ActionPlan.objects.filter(organisation=fenwick).exists():
        return
    lead = User.objects.get(email="lead@example.org")
    assessment = SelfAssessment.objects.filter(organisation=fenwick).first()
    plan = services.create_plan(
        fenwick,
        by=lead,
        starts_on=date(today.year, today.month, 1),
        horizon_months=24,
        assessment=assessment,
    )
    first, second = services.add_months(plan.starts_on, 11), services.add_months(plan.starts_on, 12)
    services.add_phase(plan, "Phase 1", plan.starts_on, first)
    services.add_phase(plan, "Phase 2", second, plan.ends_on)
    phases = list(plan.phases.all())
    for code, title in KEY:
        services.add_owner_code(plan, code, title)
    for status, (label, description) in WORDING.items():
        services.set_wording(plan, status, label, description)
    headings = {h.theme.slug: h for h in plan.headings.select_related("theme")}
    ongoing = services.add_heading(plan, "Ongoing actions")
    services.move_heading(ongoing, -4)
    headings["Ongoing actions"] = ongoing
    headings["Staff wellbeing"] = services.add_heading(plan, "Staff wellbeing")
    for heading, title, led_by, one, two, criteria, status, comment in ACTIONS:
        targets = {}
        for phase, month in zip(phases, (one, two), strict=True):
            if month:
                targets[phase.pk] = _within(parse_month(month), phase)
        services.add_action(
            headings[heading],
            by=lead,
            title=title,
            led_by=led_by,
            success_criteria=criteria,
            status=status,
            comment=comment,
            targets=targets,
        )


def _within(month: date, phase) -> date:
    """Demo months are written for a plan starting in late 2026; keep them inside the phase."""
    return min(max(month, phase.starts_on), phase.ends_on)
