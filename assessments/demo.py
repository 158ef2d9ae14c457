"""Fictional demo self-assessments, so that `make run` shows one being drafted."""

from datetime import date

from assessments import services
from assessments.models import Question, SelfAssessment, Theme
from signatories.models import Organisation, User

DRAFT_ANSWERS = {
    "profile": (
        "<p>The Fenwick Institute of Science is an independent research institute on the shore "
        "of the Firth of Fenwick, founded in 1921 to study coastal and marine ecosystems.</p>"
        "<p>We employ 310 staff, of whom 58 are technicians working in our sequencing, imaging "
        "and aquarium facilities, on our two research vessels and in our engineering "
        "workshop.</p>"
    ),
    "technician_definition": (
        "<p>Anyone whose role is classed as technical in our staff records, including "
        "research vessel crew who maintain scientific equipment at sea.</p>"
    ),
}
THEME_ANSWERS = {
    "visibility": (
        "<p>Since signing we have:</p><ol><li>named every technical team on our website and in "
        "our annual report;</li><li>started a monthly technical seminar open to all staff.</li>"
        "</ol>"
    ),
}


def seed_demo_assessments(today: date) -> None:
    """Start Fenwick's first self-assessment, with a few answers written, once."""
    fenwick = Organisation.objects.get(slug="fenwick")
    lead = User.objects.get(email="lead@example.org")
    if SelfAssessment.objects.filter(organisation=fenwick).exists():
        return
    assessment = services.start_assessment(fenwick, by=lead, today=today)
    questions = {
        q.key: q for q in Question.objects.filter(section__form_version=assessment.form_version)
    }
    for key, text in DRAFT_ANSWERS.items():
        services.save_answer(assessment, questions[key], text=text, base_version=0, by=lead)
    for slug, text in THEME_ANSWERS.items():
        services.save_answer(
            assessment,
            questions["initiatives_since"],
            theme=Theme.objects.get(slug=slug),
            text=text,
            base_version=0,
            by=lead,
        )
