"""Many organisations, each with a published action plan of many actions, a published progress
review of it and (if asked) a published update paper of that review, built in a few queries: for
the search's and directory's query-count tests and bench/search.py. The words are ours and
fictional."""

from datetime import date

from actionplans.enums import PlanStatus, Status
from actionplans.models import ActionPlan, ProgressReview, UpdatePaper
from publications.enums import PdfState, PublicationKind
from publications.models import Publication
from publications.search import reindex_all
from signatories.enums import Nation, OrganisationKind
from signatories.models import Organisation
from techcommit.public_cache import mark_public_change

THEMES = ["visibility", "recognition", "career-development", "sustainability"]
TOPICS = [
    "fund professional registration fees for technicians",
    "name technicians as authors on research outputs",
    "run an annual technician awards ceremony",
    "map technical careers pathways across departments",
    "give technicians a seat on the research committee",
]


def plan_content(actions: int) -> dict:
    statuses = list(Status)
    return {
        "title": "Technician Commitment Action Plan",
        "period": "December 2026 to November 2028",
        "horizon_months": 24,
        "timing_style": "phases",
        "phases": [],
        "key": [{"code": "PL", "title": "Project Lead"}],
        "wording": {},
        "headings": [
            {
                "name": theme.replace("-", " ").capitalize(),
                "theme": theme,
                "description": "",
                "actions": [
                    {
                        "title": f"Action {n}: {TOPICS[n % len(TOPICS)]}",
                        "description": "A sentence or two on how the organisation will do it "
                        "and who it will ask to help.",
                        "led_by": "PL",
                        "targets": {},
                        "focus_years": [],
                        "target_on": None,
                        "success_criteria": "Evidence that shows it happened.",
                        "status": statuses[n % len(statuses)],
                        "comment": "",
                    }
                    for n in range(h, actions, len(THEMES))
                ],
            }
            for h, theme in enumerate(THEMES)
        ],
    }


def review_content(plan: dict) -> dict:
    return {
        "plan_title": plan["title"],
        "reviewed_on": "2027-06-30",
        "period_from": "2026-12-01",
        "period_to": "2027-05-31",
        "author": "",
        "overall_status": Status.AMBER,
        "summary": "",
        "wording": {},
        "headings": [
            {
                "name": heading["name"],
                "entries": [
                    {"title": a["title"], "status": Status.AMBER, "comment": ""}
                    for a in heading["actions"]
                ],
            }
            for heading in plan["headings"]
        ],
    }


def paper_content(plan: dict, review: dict) -> dict:
    """An update paper of one plan period: an achievement under each theme (the first on
    registration fees), and its next steps."""
    return {
        "title": "Update paper, February 2028",
        "dated_on": "2028-02-01",
        "plan_title": plan["title"],
        "introduction": "",
        "periods": [
            {
                "name": "Year 1",
                "headings": [
                    {
                        "name": heading["name"],
                        "theme": heading["theme"],
                        "achievements": [
                            {"text": f"Achieved in the first year: {TOPICS[n]}.", "action": ""}
                        ],
                    }
                    for n, heading in enumerate(plan["headings"])
                ],
            }
        ],
        "feedback": "",
        "feedback_source": "",
        "feedback_on": "",
        "next_steps": "Report again next year.",
        "next_steps_due_on": "",
        "review": review,
    }


def build(count: int, actions: int = 40, prefix: str = "bulk", papers: bool = False) -> None:
    """``count`` organisations, each with a published plan of ``actions`` actions, a published
    review of it and, with ``papers``, a published update paper of the review, indexed for the
    search."""
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix.capitalize()} University {n:04}",
            short_name=f"{prefix.upper()}{n:04}",
            slug=f"{prefix}-{n:04}",
            kind=OrganisationKind.UNIVERSITY,
            nation=Nation.ENGLAND,
            signed_on=date(2019, 1, 1),
        )
        for n in range(count)
    )
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(
            organisation=o,
            title="Technician Commitment Action Plan",
            starts_on=date(2026, 12, 1),
            ends_on=date(2028, 11, 1),
            status=PlanStatus.PUBLISHED,
        )
        for o in organisations
    )
    reviews = ProgressReview.objects.bulk_create(
        ProgressReview(
            plan=p,
            reviewed_on=date(2027, 6, 30),
            period_from=date(2026, 12, 1),
            period_to=date(2027, 5, 31),
        )
        for p in plans
    )
    content = plan_content(actions)
    review = review_content(content)
    Publication.objects.bulk_create(
        [
            *(
                Publication(
                    organisation=p.organisation,
                    kind=PublicationKind.ACTION_PLAN,
                    version=1,
                    title=p.title,
                    content=content,
                    plan=p,
                    pdf_state=PdfState.FAILED,
                )
                for p in plans
            ),
            *(
                Publication(
                    organisation=r.plan.organisation,
                    kind=PublicationKind.PROGRESS_REVIEW,
                    version=1,
                    title="Progress review, 30 June 2027",
                    content=review,
                    review=r,
                    pdf_state=PdfState.FAILED,
                )
                for r in reviews
            ),
            *(
                Publication(
                    organisation=p.review.plan.organisation,
                    kind=PublicationKind.UPDATE_PAPER,
                    version=1,
                    title=p.title,
                    content=paper_content(content, review),
                    update_paper=p,
                    pdf_state=PdfState.FAILED,
                )
                for p in (
                    UpdatePaper.objects.bulk_create(
                        UpdatePaper(
                            review=r, title="Update paper, February 2028", dated_on=date(2028, 2, 1)
                        )
                        for r in reviews
                    )
                    if papers
                    else []
                )
            ),
        ]
    )
    reindex_all()
    mark_public_change()  # bulk_create sends no signals
