"""A consultation of organisation A, and a way to give it answers."""

from datetime import date

import pytest

from assessments.models import Theme
from consultations import services
from consultations.enums import ConsultationStatus, QuestionKind
from consultations.models import Consultation, SharedQuestion

GROUPS = ["Laboratory", "Workshop", "Information technology"]


@pytest.fixture
def themes(db):
    return {theme.slug: theme for theme in Theme.objects.filter(asked_per_theme=True)}


@pytest.fixture
def shared_visibility(themes):
    return SharedQuestion.objects.create(
        kind=QuestionKind.AGREEMENT,
        text="My contribution is visible to the people I work with.",
        theme=themes["visibility"],
        position=1,
    )


@pytest.fixture
def consultation(org_a, lead_of_org_a, themes, shared_visibility):
    """A draft of four questions: a shared agreement statement on visibility, one on
    recognition, the respondent's staff group, and a comment box."""
    made = services.create(
        org_a,
        by=lead_of_org_a,
        title="Technician voice 2026",
        introduction="<p>Tell us what you think.</p><script>alert(1)</script>",
        closes_on=date(2099, 12, 31),
        threshold=5,
        sector_consent=True,
    )
    services.add_shared(made, shared_visibility)
    services.add_question(
        made,
        kind=QuestionKind.AGREEMENT,
        text="I am encouraged to seek professional registration.",
        theme=themes["recognition"],
    )
    services.add_question(made, kind=QuestionKind.SINGLE, text="Where do you work?", choices=GROUPS)
    services.add_question(made, kind=QuestionKind.TEXT, text="Anything else?")
    return made


def questions_of(consultation: Consultation):
    return list(consultation.questions.order_by("position"))


@pytest.fixture
def answer(lead_of_org_a):
    """``answer(consultation, visibility, recognition, group, comment="")`` stores one
    response (opening the consultation first if it is a draft)."""

    def give(consultation, visibility=None, recognition=None, group=None, comment=""):
        if consultation.status == ConsultationStatus.DRAFT:
            services.transition(consultation, to=ConsultationStatus.OPEN, by=lead_of_org_a)
        shared, recog, where, text = questions_of(consultation)
        choices = {}
        for question, value in [(shared, visibility), (recog, recognition), (where, group)]:
            if value is not None:
                choices[question.pk] = [value]
        services.respond(
            consultation, choices=choices, comments={text.pk: comment} if comment else {}
        )

    return give


def close(consultation, by):
    services.transition(consultation, to=ConsultationStatus.CLOSED, by=by)
    consultation.refresh_from_db()
    return consultation
