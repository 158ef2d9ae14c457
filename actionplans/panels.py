"""What the action plans show on the self-assessment form (registered in apps.py through
assessments/panels.py): beside the later form's RAG-analysis question, the progress reviews of
earlier plans appended to the self-assessment (and those the lead may append) and the previous
plan's latest progress review; under the plan question, which plan is attached."""

from actionplans.enums import RAG_ANALYSIS_KEY
from actionplans.models import ActionPlan
from actionplans.queries import (
    appendable_reviews,
    appended_reviews,
    latest_previous_review,
    load_review,
)
from assessments.documents import appendix_letter
from assessments.enums import QuestionKind
from assessments.panels import QuestionPanel
from techcommit.permissions import may


def appendix_panel_data(user, assessment, message: str = "", error: str = "") -> dict:
    """What the appended-reviews card (actionplans/_rag_appendices.html) shows: each appended
    review with the letter of its appendix (they come before the plan's), and what the person
    may append."""
    can_append = may(user, "assessments.change_assessment", assessment)
    return {
        "assessment": assessment,
        "appended": [
            {"letter": appendix_letter(n), "review": review}
            for n, review in enumerate(appended_reviews(assessment))
        ],
        "appendable": list(appendable_reviews(assessment)) if can_append else [],
        "can_append": can_append,
        "message": message,
        "error": error,
    }


def previous_review_panel(user, assessment, question) -> QuestionPanel | None:
    """Beside the RAG-analysis question: the appended reviews, and the previous plan's latest
    finalised progress review."""
    if question.key != RAG_ANALYSIS_KEY:
        return None
    review = latest_previous_review(assessment)
    if review is not None and not may(user, "actionplans.view_plan", review.plan):
        review = None
    loaded = load_review(review, with_timelines=False) if review else None
    return QuestionPanel(
        "actionplans/_rag_panel.html",
        {"loaded": loaded, **appendix_panel_data(user, assessment)},
        beside=True,
        forms="actionplans/_rag_forms.html",
    )


def cycle_plan_panel(user, assessment, question) -> QuestionPanel | None:
    """Under the plan question: the action plan of this self-assessment's cycle, or how to
    start one."""
    if question.kind != QuestionKind.ACTION_PLAN:
        return None
    plan = ActionPlan.objects.filter(assessment=assessment).first()
    return QuestionPanel(
        "actionplans/_cycle_plan_note.html",
        {"plan": plan, "organisation": assessment.organisation},
    )
