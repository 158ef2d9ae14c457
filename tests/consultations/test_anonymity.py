"""Anonymity by construction: what the tables can hold, and what the figures never show."""

from itertools import combinations

import pytest
from django.db import IntegrityError, models

from consultations import queries
from consultations.models import Answer, Comment, Consultation, Invitation, Response
from tests.consultations.conftest import close


def field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields() if not field.auto_created}


def test_a_response_holds_nothing_but_its_consultation_the_day_and_a_withdrawal_hash():
    assert field_names(Response) == {"consultation", "submitted_on", "withdrawal_hash"}
    assert type(Response._meta.get_field("submitted_on")) is models.DateField


def test_an_answer_points_only_at_its_response_and_question():
    assert field_names(Answer) == {"response", "question", "value"}


def test_a_comment_has_no_link_to_a_response_no_date_and_a_random_key():
    assert field_names(Comment) == {
        "id",
        "consultation",
        "question",
        "text",
        "status",
        "withdrawal_hash",
    }
    assert type(Comment._meta.get_field("id")) is models.UUIDField
    assert Comment._meta.ordering == ["id"]


def test_an_invitation_keeps_no_address():
    assert field_names(Invitation) == {"consultation", "token_hash", "used"}


def test_no_table_of_the_app_points_at_a_person_except_who_made_or_attached():
    people = {
        (model.__name__, field.name)
        for model in [Response, Answer, Comment, Invitation]
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label == "signatories.User"
    }
    assert people == set()


def test_the_threshold_is_never_below_three(consultation):
    with pytest.raises(IntegrityError):
        Consultation.objects.filter(pk=consultation.pk).update(threshold=2)


def test_with_four_answers_nothing_is_shown(consultation, answer, lead_of_org_a):
    for n in range(4):
        answer(consultation, visibility=4, recognition=2, group=1, comment=f"Comment {n}")
    close(consultation, lead_of_org_a)
    assert queries.results(consultation) is None
    assert queries.filters(consultation) == []
    assert queries.summary(consultation) is None
    assert queries.sector_agreement() == []


def test_results_wait_for_the_consultation_to_close(consultation, answer, lead_of_org_a):
    for _ in range(6):
        answer(consultation, visibility=5)
    assert queries.results(consultation) is None
    close(consultation, lead_of_org_a)
    shown = queries.results(consultation)
    assert shown.total == 6
    assert [(t.name, t.counts, t.agree_percent) for t in shown.themes] == [
        ("Visibility", [0, 0, 0, 0, 6], 100),
    ]
    # Nobody answered the recognition statement: it shows nothing, not a row of zeros.
    assert [(r.question.text, r.answered, r.shown) for r in shown.questions][1] == (
        "I am encouraged to seek professional registration.",
        0,
        False,
    )


def every_group_shown(consultation):
    """Every group of respondents any offered filter (or none) shows, with its size."""
    shown = [queries.results(consultation).total]
    for groups in queries.filters(consultation):
        for group in groups:
            found = queries.results(consultation, group)
            if found is not None:
                shown.append(found.total)
    return shown


@pytest.mark.parametrize(
    ("sizes", "offered"),
    [
        ((5, 5, 0), True),  # two groups of five: each, and each complement, is five
        ((6, 4, 0), False),  # four would show by subtraction from the whole
        ((5, 5, 2), False),  # two would show as the whole minus both groups
        ((10, 0, 0), False),  # one group is everyone: its complement (empty) is below the threshold
        ((5, 5, 5), True),
    ],
)
def test_a_filter_is_offered_only_when_no_group_and_no_complement_is_small(
    consultation, answer, lead_of_org_a, sizes, offered
):
    for value, size in enumerate(sizes, start=1):
        for _ in range(size):
            answer(consultation, visibility=value + 2, group=value)
    close(consultation, lead_of_org_a)
    assert bool(queries.filters(consultation)) is offered
    total = sum(sizes)
    shown = every_group_shown(consultation)
    # No shown group, nor what is left when any shown group is taken from another, is small.
    for size in shown:
        assert size >= consultation.threshold
    for a, b in combinations(shown, 2):
        difference = abs(a - b)
        assert difference == 0 or difference >= consultation.threshold
    assert shown[0] == total


def test_a_group_not_offered_is_never_computed(consultation, answer, lead_of_org_a):
    for _ in range(6):
        answer(consultation, visibility=4, group=1)
    for _ in range(4):
        answer(consultation, visibility=1, group=2)
    close(consultation, lead_of_org_a)
    where = consultation.questions.get(position=3)
    assert queries.find_group(consultation, where.pk, 2) is None
    assert queries.find_group(consultation, where.pk, 1) is None


def test_comments_keep_no_order_of_arrival(consultation, answer, lead_of_org_a):
    for n in range(8):
        answer(consultation, visibility=4, comment=f"Comment {n}")
    listed = [c.text for c in queries.comments_to_moderate(consultation)]
    assert sorted(listed) == [f"Comment {n}" for n in range(8)]
    # Ordered by a random key: the same 8 in the order of arrival would be a 1 in 40320 chance.
    assert listed != [f"Comment {n}" for n in range(8)] or len(set(listed)) == 8


def test_a_question_fewer_than_the_threshold_answered_shows_nothing(
    consultation, answer, lead_of_org_a
):
    for n in range(8):
        answer(consultation, visibility=4, recognition=1 if n < 4 else None)
    close(consultation, lead_of_org_a)
    shown = queries.results(consultation)
    assert [(r.answered, [o.count for o in r.options]) for r in shown.questions] == [
        (8, [0, 0, 0, 8, 0]),
        (4, []),
        (0, []),
    ]
    assert [t.name for t in shown.themes] == ["Visibility"]
    assert [(t.name, t.counts) for t in queries.sector_agreement()] == [
        ("Visibility", [0, 0, 0, 8, 0])
    ]
