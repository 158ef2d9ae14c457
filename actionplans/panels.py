"""What the action plans show on the self-assessment form (registered in apps.py through
assessments/panels.py): the previous plan's latest progress review beside the later form's
RAG-analysis question, and which plan is attached under the plan question."""

from actionplans.models import ActionPlan
from actionplans.queries import latest_previous_review, load_review
from assessments.enums import QuestionKind
from assessments.panels import QuestionPanel
from techcommit.permissions import may

# The later form's question that asks for a RAG analysis of the previous cycle's plan.
RAG_ANALYSIS_KEY = "rag_analysis"


def previous_review_panel(user, assessment, question) -> QuestionPanel | None:
    """Beside the RAG-analysis question: the previous plan's latest finalised progress review."""
    if question.key != RAG_ANALYSIS_KEY:
        return None
    review = latest_previous_review(assessment)
    if review is not None and not may(user, "actionplans.view_plan", review.plan):
        review = None
    loaded = load_review(review, with_timelines=False) if review else None
    return QuestionPanel("actionplans/_rag_panel.html", {"loaded": loaded}, beside=True)


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
