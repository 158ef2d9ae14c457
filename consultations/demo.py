"""A fictional closed consultation for Fenwick, so that `make run` shows the technician voice:
the sector's shared question set, eight invented responses and three invented comments (two
approved). Every word here is ours."""

from datetime import date, timedelta

from assessments.models import Theme
from consultations import services
from consultations.enums import CommentStatus, ConsultationStatus, QuestionKind
from consultations.models import Consultation, SharedQuestion
from signatories.models import Organisation, User

SHARED = [
    ("visibility", "My work is visible to the researchers and students I support."),
    ("recognition", "I know how to gain professional registration, and I am supported to."),
    ("career-development", "I can see a route to progress in my technical career here."),
    ("sustainability", "My skills are used fully and passed on to newer colleagues."),
]
GROUPS = ["Laboratory", "Workshop and engineering", "Information technology"]
# visibility, recognition, career, sustainability (1..5), staff group (1..3), comment
ANSWERS = [
    (4, 3, 2, 4, 1, "The technician network has made us far more visible this year."),
    (5, 4, 3, 4, 1, ""),
    (4, 2, 2, 3, 2, "Career grades for workshop staff are still unclear."),
    (3, 4, 2, 5, 1, ""),
    (4, 4, 3, 4, 3, "Please run the registration sessions in the afternoon as well."),
    (2, 3, 1, 3, 2, ""),
    (5, 5, 4, 4, 1, ""),
    (4, 3, 2, 2, 3, ""),
]
APPROVED = {
    "The technician network has made us far more visible this year.",
    "Career grades for workshop staff are still unclear.",
}


def seed_shared_questions() -> list[SharedQuestion]:
    if not SharedQuestion.objects.exists():
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        for position, (slug, text) in enumerate(SHARED, start=1):
            SharedQuestion.objects.create(
                kind=QuestionKind.AGREEMENT, text=text, theme=themes[slug], position=position
            )
    return list(SharedQuestion.objects.filter(kind=QuestionKind.AGREEMENT).order_by("position"))


def seed_demo_consultations(today: date) -> None:
    """Fenwick's closed, moderated consultation, and the draft of its next one."""
    shared = seed_shared_questions()
    fenwick = Organisation.objects.get(slug="fenwick")
    if Consultation.objects.filter(organisation=fenwick).exists():
        return
    lead = User.objects.get(email="lead@example.org")
    seed_closed(fenwick, lead, shared, today)
    draft = services.create(
        fenwick,
        by=lead,
        title="Workshop staff pulse check",
        introduction="<p>Three quick questions for the workshop teams.</p>",
        closes_on=today + timedelta(days=60),
        threshold=5,
        sector_consent=False,
    )
    services.add_shared(draft, shared[2])
    services.add_question(draft, kind=QuestionKind.TEXT, text="What would help you most?")


def seed_closed(fenwick, lead, shared, today: date) -> None:
    consultation = services.create(
        fenwick,
        by=lead,
        title="Technician voice survey",
        introduction="<p>Tell us how the Institute is doing on the four themes of the "
        "Technician Commitment. It takes five minutes.</p>",
        closes_on=today,
        threshold=5,
        sector_consent=True,
    )
    for question in shared:
        services.add_shared(consultation, question)
    where = services.add_question(
        consultation, kind=QuestionKind.SINGLE, text="Where do you work?", choices=GROUPS
    )
    comment = services.add_question(
        consultation, kind=QuestionKind.TEXT, text="What should we do next?"
    )
    questions = list(consultation.questions.order_by("position"))[: len(shared)]
    services.transition(consultation, to=ConsultationStatus.OPEN, by=lead)
    for *agreement, group, text in ANSWERS:
        choices = {q.pk: [value] for q, value in zip(questions, agreement, strict=True)}
        choices[where.pk] = [group]
        services.respond(consultation, choices=choices, comments={comment.pk: text} if text else {})
    services.transition(consultation, to=ConsultationStatus.CLOSED, by=lead)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_on=today - timedelta(days=1), closed_on=today - timedelta(days=1)
    )
    for row in consultation.comments.all():
        status = CommentStatus.APPROVED if row.text in APPROVED else CommentStatus.REJECTED
        services.moderate(consultation, row, status=status)
