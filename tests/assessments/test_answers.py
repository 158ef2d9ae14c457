"""Starting a self-assessment, saving answers without losing a word, history and checking."""

from datetime import date

import pytest

from assessments import services
from assessments.enums import AssessmentStatus, SectionState
from assessments.models import Answer, AnswerRevision, SelfAssessment, Theme
from assessments.queries import is_complete, load_assessment
from signatories.models import Organisation


def test_starting_fills_the_header_from_the_organisation_and_lead(assessment):
    header = {a.question.key: a.text for a in assessment.answers.select_related("question")}
    assert header == {
        "organisation": "University of Aldermoor",
        "lead_name": "Lena Aldous",
        "lead_email": "lead.a@example.org",
        "lead_telephone": "0151 000 0000",
    }
    assert (assessment.form_version.slug, assessment.due_on) == ("early-form", date(2026, 12, 1))


def test_starting_twice_gives_the_same_self_assessment(assessment, org_a, lead_of_org_a):
    again = services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 26))
    assert again.pk == assessment.pk
    assert SelfAssessment.objects.count() == 1


def test_a_later_self_assessment_uses_the_later_form(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(
        signed_on=date(2018, 1, 10), last_assessed_on=date(2024, 2, 29)
    )
    org_a.refresh_from_db()
    assessment = services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))
    assert (assessment.form_version.slug, assessment.due_on) == ("later-form", date(2027, 2, 28))


def test_lapsed_organisations_cannot_start(org_a, lead_of_org_a):
    Organisation.objects.filter(pk=org_a.pk).update(status="lapsed")
    org_a.refresh_from_db()
    with pytest.raises(services.AssessmentError, match="while University of Aldermoor is lapsed"):
        services.start_assessment(org_a, by=lead_of_org_a)


def test_saving_sanitises_rich_text_and_keeps_a_revision(assessment, question, lead_of_org_a):
    result = services.save_answer(
        assessment,
        question(),
        text='<p onclick="x()">We are <b>small</b>.</p><script>alert(1)</script>',
        base_version=0,
        by=lead_of_org_a,
    )
    assert (result.saved, result.conflict, result.version) == (True, False, 1)
    assert result.answer.text == "<p>We are <strong>small</strong>.</p>"
    assert list(result.answer.revisions.values_list("version", "text")) == [
        (1, "<p>We are <strong>small</strong>.</p>")
    ]


def test_a_save_from_an_old_version_is_a_conflict_and_writes_nothing(
    assessment, question, lead_of_org_a, contributor_of_org_a
):
    profile = question()
    services.save_answer(
        assessment, profile, text="<p>First.</p>", base_version=0, by=lead_of_org_a
    )
    theirs = services.save_answer(
        assessment,
        profile,
        text="<p>Colleague's text.</p>",
        base_version=1,
        by=contributor_of_org_a,
    )
    mine = services.save_answer(
        assessment, profile, text="<p>My text.</p>", base_version=1, by=lead_of_org_a
    )
    assert (theirs.saved, mine.saved, mine.conflict) == (True, False, True)
    assert mine.answer.text == "<p>Colleague's text.</p>"
    assert mine.version == 2
    assert AnswerRevision.objects.filter(answer=mine.answer).count() == 2


def test_the_same_words_from_an_old_version_are_not_a_conflict(assessment, question, lead_of_org_a):
    profile = question()
    services.save_answer(assessment, profile, text="<p>Same.</p>", base_version=0, by=lead_of_org_a)
    result = services.save_answer(
        assessment, profile, text="<p>Same.</p>", base_version=0, by=lead_of_org_a
    )
    assert (result.saved, result.conflict, result.version) == (False, False, 1)


def test_restoring_an_earlier_version_adds_a_revision(assessment, question, lead_of_org_a):
    profile = question()
    services.save_answer(assessment, profile, text="<p>One.</p>", base_version=0, by=lead_of_org_a)
    services.save_answer(assessment, profile, text="<p>Two.</p>", base_version=1, by=lead_of_org_a)
    answer = Answer.objects.get(assessment=assessment, question=profile)
    first = answer.revisions.get(version=1)
    result = services.restore_revision(answer, first, by=lead_of_org_a)
    assert (result.answer.text, result.version) == ("<p>One.</p>", 3)
    assert list(answer.revisions.values_list("version", "restored_from")) == [
        (3, 1),
        (2, None),
        (1, None),
    ]


def test_per_theme_boxes_are_saved_separately(assessment, question, lead_of_org_a):
    since = question("initiatives_since")
    visibility, recognition = Theme.objects.filter(slug__in=["visibility", "recognition"])
    services.save_answer(
        assessment, since, theme=visibility, text="V", base_version=0, by=lead_of_org_a
    )
    services.save_answer(
        assessment, since, theme=recognition, text="R", base_version=0, by=lead_of_org_a
    )
    saved = dict(Answer.objects.filter(question=since).values_list("theme__slug", "text"))
    assert saved == {"visibility": "<p>V</p>", "recognition": "<p>R</p>"}


def test_an_accepted_self_assessment_cannot_change(assessment, question, lead_of_org_a):
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.ACCEPTED)
    assessment.refresh_from_db()
    with pytest.raises(services.AssessmentError, match="can no longer be changed"):
        services.save_answer(assessment, question(), text="x", base_version=0, by=lead_of_org_a)


def test_section_states_follow_answers_and_explicit_completion(assessment, question, lead_of_org_a):
    states = [s.state for s in load_assessment(assessment).sections]
    assert states == [SectionState.IN_PROGRESS] + [SectionState.NOT_STARTED] * 4
    services.save_answer(assessment, question(), text="Hello", base_version=0, by=lead_of_org_a)
    section = question().section
    services.set_section_complete(assessment, section, True, by=lead_of_org_a)
    loaded = load_assessment(assessment)
    assert [s.state for s in loaded.sections][:2] == [
        SectionState.IN_PROGRESS,
        SectionState.COMPLETED,
    ]
    assert loaded.completed_count == 1


def test_problems_list_missing_over_limit_and_invalid_answers(assessment, question, lead_of_org_a):
    long_profile = "<p>" + " ".join(["word"] * 260) + "</p>"
    services.save_answer(
        assessment, question(), text=long_profile, base_version=0, by=lead_of_org_a
    )
    email = question("lead_email")
    current = Answer.objects.get(assessment=assessment, question=email)
    services.save_answer(
        assessment, email, text="not-an-address", base_version=current.version, by=lead_of_org_a
    )
    messages = [
        (p.section.position, p.anchor, p.message) for p in load_assessment(assessment).problems()
    ]
    assert (
        1,
        "answer-lead_email",
        "Enter an e-mail address in the correct format, like name@example.ac.uk",
    ) in messages
    assert (
        2,
        "answer-profile",
        "260 words: 10 over the limit of 250. Shorten the answer.",
    ) in messages
    assert (
        3,
        "answer-initiatives_since-visibility",
        "Not answered (Visibility): " + question("initiatives_since").text,
    ) in messages
    assert (5, "section-5", "Mark the section ‘Publication’ as complete") in messages
    assert is_complete(assessment) is False


def test_over_limit_drafts_are_saved(assessment, question, lead_of_org_a):
    long_profile = "<p>" + " ".join(["word"] * 300) + "</p>"
    result = services.save_answer(
        assessment, question(), text=long_profile, base_version=0, by=lead_of_org_a
    )
    assert result.saved is True
    assert result.answer.text == long_profile


def test_previous_answers_are_offered_by_question_key(assessment, question, lead_of_org_a, org_a):
    services.save_answer(
        assessment, question(), text="<p>Old profile.</p>", base_version=0, by=lead_of_org_a
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.ACCEPTED)
    Organisation.objects.filter(pk=org_a.pk).update(last_assessed_on=date(2026, 11, 30))
    org_a.refresh_from_db()
    later = services.start_assessment(org_a, by=lead_of_org_a, today=date(2028, 1, 10))
    previous = services.previous_answers(later)
    assert previous[("profile", None)].text == "<p>Old profile.</p>"


def test_starting_without_any_form_version_says_so(org_a, lead_of_org_a):
    from assessments.models import FormVersion
    from assessments.services import AssessmentError

    Organisation.objects.filter(pk=org_a.pk).update(signed_on=date(2025, 12, 1))
    org_a.refresh_from_db()
    FormVersion.objects.all().delete()
    with pytest.raises(AssessmentError, match="No self-assessment form has been set up yet"):
        services.start_assessment(org_a, by=lead_of_org_a, today=date(2026, 11, 25))


def test_a_one_line_answer_over_its_length_is_saved_and_reported(
    assessment, question, lead_of_org_a
):
    """Issue 11, item 7: short-text answers and names have a maximum length."""
    name = question("lead_name")
    current = Answer.objects.get(assessment=assessment, question=name)
    long_name = "Dr " + "Tess Hollis-" * 20
    result = services.save_answer(
        assessment, name, text=long_name, base_version=current.version, by=lead_of_org_a
    )
    assert result.answer.text == long_name.strip()
    messages = [(p.anchor, p.message) for p in load_assessment(assessment).problems()]
    assert (
        "answer-lead_name",
        "243 characters: 43 over the limit of 200. Shorten the answer.",
    ) in messages
    assert is_complete(assessment) is False
