"""Fictional demo of the flow, so that `make run` shows a submission waiting for review:
Coldharbour's first self-assessment, signed and submitted, with a reviewer assigned."""

from datetime import date

from assessments import services as assessment_services
from assessments.enums import QuestionKind
from assessments.models import Question, Section, SelfAssessment, Theme
from signatories.models import Organisation, User
from submissions import services
from submissions.models import Assignment, Reviewer, ReviewRound

ANSWERS = {
    "profile": (
        "<p>Coldharbour University is a university of 9,000 students on two campuses in the "
        "Usk valley, known for its engineering, agricultural science and nursing courses.</p>"
        "<p>Its 140 technical staff run teaching laboratories, a dairy research farm, an "
        "engineering workshop and the nursing simulation suite.</p>"
    ),
    "technician_definition": (
        "<p>We count as technicians everyone in a technical job family, at any grade, together "
        "with farm and workshop staff whose work supports teaching and research.</p>"
    ),
    "technician_numbers": (
        "<p>140 technicians: 62 in engineering, 38 in life and agricultural sciences, 24 in "
        "nursing and health, and 16 in central services.</p>"
    ),
    "initiatives_before": (
        "<ul><li>A technical staff forum, meeting each term since 2019.</li>"
        "<li>Paid time for apprentices to study for their qualification.</li></ul>"
    ),
    "technician_voice": (
        "<p>Technicians wrote the first draft of the plan at two open workshops, and three "
        "technicians sit on the working group that finished it.</p>"
    ),
    "action_plan": "<p>See our 24-month action plan in the portal.</p>",
}
THEMES = {
    "visibility": "<p>Every technical team is now named on its department's web pages.</p>",
    "recognition": "<p>Four technicians registered as RSciTech this year, funded centrally.</p>",
    "career-development": "<p>We drafted a technical career framework with the union.</p>",
    "sustainability": "<p>Two engineering apprentices started in September.</p>",
}
HEADER = {
    "organisation": "Coldharbour University",
    "lead_name": "Gareth Llewellyn",
    "lead_email": "coldharbour.lead@example.org",
    "lead_telephone": "01633 000 000",
    "publication": "https://www.example.org/coldharbour/technician-commitment",
}


def seed_demo_submission(today: date) -> None:
    """Once: fill in, sign and submit Coldharbour's first self-assessment; put the demo
    reviewer in the pool and on it."""
    coldharbour = Organisation.objects.get(slug="coldharbour")
    if SelfAssessment.objects.filter(organisation=coldharbour).exists():
        return
    reviewer = User.objects.get(email="reviewer@example.org")
    assessment = fill_in_and_submit(
        coldharbour,
        lead=User.objects.get(email="coldharbour.lead@example.org"),
        leader=User.objects.get(email="coldharbour.leader@example.org"),
        answers=ANSWERS,
        themes=THEMES,
        header=HEADER,
        today=today,
    )
    spring = ReviewRound.objects.get_or_create(
        name=f"Spring {today.year + 1}",
        defaults={"starts_on": date(today.year + 1, 1, 1), "ends_on": date(today.year + 1, 6, 30)},
    )[0]
    pool, _ = Reviewer.objects.get_or_create(
        user=reviewer, defaults={"trained_on": date(today.year, 3, 1)}
    )
    pool.available_in.add(spring)
    Assignment.objects.get_or_create(
        assessment=assessment, reviewer=reviewer, defaults={"round": spring}
    )
    services.start_review(assessment, by=None)


def fill_in_and_submit(
    organisation,
    *,
    lead,
    leader,
    answers: dict,
    themes: dict,
    header: dict,
    today: date,
    before_sign_off=None,
) -> SelfAssessment:
    """Start the organisation's self-assessment, answer every question, have the lead and the
    head of institution sign it, and submit it, all through the services people use.
    ``before_sign_off(assessment)`` may add to it (its action plan) before it is frozen."""
    assessment = assessment_services.start_assessment(organisation, by=lead, today=today)
    for question in Question.objects.filter(section__form_version=assessment.form_version):
        current = assessment.answers.filter(question=question, theme=None).first()
        base = current.version if current else 0
        if question.kind == QuestionKind.PER_THEME:
            for theme in Theme.objects.filter(asked_per_theme=True):
                assessment_services.save_answer(
                    assessment,
                    question,
                    theme=theme,
                    text=themes[theme.slug],
                    base_version=0,
                    by=lead,
                )
        elif question.key in answers:
            assessment_services.save_answer(
                assessment, question, text=answers[question.key], base_version=base, by=lead
            )
        elif question.key in header:
            assessment_services.save_answer(
                assessment,
                question,
                text=header[question.key],
                flag=True if question.kind == QuestionKind.CONFIRM_URL else None,
                base_version=base,
                by=lead,
            )
    for section in Section.objects.filter(form_version=assessment.form_version):
        assessment_services.set_section_complete(assessment, section, True, by=lead)
    if before_sign_off:
        before_sign_off(assessment)
    snapshot = services.request_sign_off(assessment, by=lead)
    for sign_off in snapshot.sign_offs.all():
        signer = leader if sign_off.role == "leader" else lead
        services.sign(sign_off, by=signer, name=signer.full_name, job_title=signer.job_title)
    services.submit(assessment, by=lead)
    return assessment
