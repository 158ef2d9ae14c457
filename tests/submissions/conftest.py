from datetime import date

import pytest

from assessments import services as assessment_services
from assessments.enums import QuestionKind
from assessments.models import Question, Section, Theme
from signatories.models import Organisation
from submissions import services


def fill_in(assessment, by, words="Our answer.") -> None:
    """Answer every question of the form and mark every section complete."""
    themes = list(Theme.objects.filter(asked_per_theme=True))
    for question in Question.objects.filter(section__form_version=assessment.form_version):
        current = assessment.answers.filter(question=question, theme=None).first()
        if question.kind == QuestionKind.FIGURES:
            continue
        if question.kind == QuestionKind.PER_THEME:
            for theme in themes:
                assessment_services.save_answer(
                    assessment,
                    question,
                    theme=theme,
                    text=f"<p>{words} ({theme.name})</p>",
                    base_version=0,
                    by=by,
                )
            continue
        if current and current.text:
            continue
        text, flag = {
            QuestionKind.EMAIL: ("lead.a@example.org", None),
            QuestionKind.TELEPHONE: ("0151 000 0000", None),
            QuestionKind.URL: ("https://www.example.org/technicians", None),
            QuestionKind.CONFIRM_URL: ("https://www.example.org/technician-commitment", True),
            QuestionKind.NUMBER: ("120", None),
            QuestionKind.DATE: ("2026-11-01", None),
            QuestionKind.SHORT_TEXT: ("A short answer", None),
        }.get(question.kind, (f"<p>{words}</p>", None))
        assessment_services.save_answer(
            assessment,
            question,
            text=text,
            flag=flag,
            base_version=current.version if current else 0,
            by=by,
        )
    for section in Section.objects.filter(form_version=assessment.form_version):
        assessment_services.set_section_complete(assessment, section, True, by=by)


def signed_and_ready(ready, lead, leader):
    """Request sign-off and have the lead and the leader sign: the revision is ready to submit."""
    snapshot = services.request_sign_off(ready, by=lead)
    for sign_off in snapshot.sign_offs.all():
        signer = lead if sign_off.role == "lead" else leader
        services.sign(sign_off, by=signer, name=signer.full_name, job_title="Director")
    return snapshot


@pytest.fixture
def ready(org_a, lead_of_org_a, leader_of_org_a, settings):
    """Organisation A's first self-assessment, every answer given: ready for sign-off."""
    settings.SITE_URL = "https://portal.example.org"
    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    lead_of_org_a.telephone = "0151 000 0000"
    lead_of_org_a.save()
    assessment = assessment_services.start_assessment(
        org_a, by=lead_of_org_a, today=date(2026, 11, 25)
    )
    fill_in(assessment, lead_of_org_a)
    return assessment
