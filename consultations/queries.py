"""Which consultations a person may see, and what their answers add up to.

Every figure here is an aggregate of a group of respondents, and no group smaller than the
consultation's threshold is ever returned: not the whole consultation (``results`` answers None
below it, and before the consultation has closed, so that results cannot be watched change as
one known person answers), and not a filter's group. A filter is offered only when every one of
its groups, and the complement of every one, is empty or at least the threshold, so no group
below it can be had by subtraction either; one filter applies at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from assessments.models import Theme
from consultations.enums import (
    AGREEMENT_SCALE,
    CommentStatus,
    ConsultationStatus,
    QuestionKind,
)
from consultations.models import Answer, Comment, Consultation, ConsultationQuestion

AGREE = {4, 5}  # "Agree" and "Strongly agree"


def consultations_of(organisation) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(organisation=organisation)
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-closes_on", "-pk")
    )


def response_count(consultation: Consultation) -> int:
    return consultation.responses.count()


def percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


@dataclass
class Option:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: ConsultationQuestion
    answered: int
    options: list[Option]  # empty when fewer than the threshold answered it

    @property
    def shown(self) -> bool:
        return bool(self.options)


@dataclass
class ThemeResult:
    slug: str
    name: str
    counts: list[int]  # per point of the scale, 1..5

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def agree_percent(self) -> int:
        return percent(self.counts[3] + self.counts[4], self.total)

    @property
    def segments(self) -> list[dict]:
        return [
            {"label": label, "count": count}
            for label, count in zip(AGREEMENT_SCALE, self.counts, strict=True)
        ]


@dataclass
class Group:
    question: ConsultationQuestion
    value: int
    label: str
    size: int


@dataclass
class Results:
    total: int
    questions: list[QuestionResult]
    themes: list[ThemeResult]
    group: Group | None = None
    comments: list[Comment] = field(default_factory=list)


def results_visible(consultation: Consultation, total: int) -> bool:
    return consultation.status == ConsultationStatus.CLOSED and total >= consultation.threshold


def _questions(consultation: Consultation) -> list[ConsultationQuestion]:
    return list(consultation.questions.select_related("theme").order_by("position"))


def _tally(consultation: Consultation, group: Group | None):
    """{question id: {value: count}} and {question id: respondents who answered it}."""
    answers = Answer.objects.filter(response__consultation=consultation)
    if group is not None:
        answers = answers.filter(
            response_id__in=Answer.objects.filter(
                question=group.question, value=group.value
            ).values("response_id")
        )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in answers.values("question_id", "value").annotate(n=Count("id")):
        counts[row["question_id"]][row["value"]] = row["n"]
    answered = {
        row["question_id"]: row["n"]
        for row in answers.values("question_id").annotate(n=Count("response_id", distinct=True))
    }
    return counts, answered


def filters(consultation: Consultation, total: int | None = None) -> list[list[Group]]:
    """The single-choice questions results may be split by, each as its groups, only where no
    group and no complement is below the threshold (empty groups count as safe)."""
    total = response_count(consultation) if total is None else total
    if not results_visible(consultation, total):
        return []
    threshold = consultation.threshold
    single = [q for q in _questions(consultation) if q.kind == QuestionKind.SINGLE]
    rows = (
        Answer.objects.filter(question__in=single)
        .values("question_id", "value")
        .annotate(n=Count("id"))
    )
    sizes: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        sizes[row["question_id"]][row["value"]] = row["n"]
    found = []
    for question in single:
        by_value = sizes.get(question.pk, {})
        unanswered = total - sum(by_value.values())
        every = [*by_value.values(), unanswered]
        if all(n == 0 or (n >= threshold and total - n >= threshold) for n in every):
            found.append(
                [
                    Group(question, value, label, by_value.get(value, 0))
                    for value, label in enumerate(question.options, start=1)
                    if by_value.get(value, 0)
                ]
            )
    return found


def find_group(consultation: Consultation, question_id, value) -> Group | None:
    """The offered group a request names, or None: a group not offered is never computed."""
    for groups in filters(consultation):
        for group in groups:
            if str(group.question.pk) == str(question_id) and str(group.value) == str(value):
                return group
    return None


def results(consultation: Consultation, group: Group | None = None) -> Results | None:
    """The consultation's figures (for ``group`` of respondents, an offered filter), or None
    while no result may be shown."""
    total = response_count(consultation)
    if not results_visible(consultation, total):
        return None
    if group is not None:
        if group.size < consultation.threshold or total - group.size < consultation.threshold:
            return None
        total = group.size
    counts, answered = _tally(consultation, group)
    questions: list[QuestionResult] = []
    themes: dict[int, ThemeResult] = {}
    positions: dict[int, int] = {}
    for question in _questions(consultation):
        if question.kind == QuestionKind.TEXT:
            continue
        by_value = counts.get(question.pk, {})
        # Every question is optional: a question fewer than the threshold answered is a small
        # group of its own, and shows (and adds to its theme) nothing.
        if answered.get(question.pk, 0) < consultation.threshold:
            questions.append(QuestionResult(question, answered.get(question.pk, 0), []))
            continue
        base = total if question.kind == QuestionKind.MULTIPLE else answered.get(question.pk, 0)
        options = [
            Option(label, by_value.get(value, 0), percent(by_value.get(value, 0), base))
            for value, label in enumerate(question.options, start=1)
        ]
        questions.append(QuestionResult(question, answered.get(question.pk, 0), options))
        if question.kind == QuestionKind.AGREEMENT and question.theme:
            positions[question.theme.pk] = question.theme.position
            theme = themes.setdefault(
                question.theme.pk,
                ThemeResult(question.theme.slug, question.theme.name, [0] * 5),
            )
            for value in range(1, 6):
                theme.counts[value - 1] += by_value.get(value, 0)
    ordered = [themes[pk] for pk in sorted(themes, key=lambda pk: positions[pk])]
    return Results(total=total, questions=questions, themes=ordered, group=group)


def approved_comments(consultation: Consultation) -> list[Comment]:
    return list(
        consultation.comments.filter(status=CommentStatus.APPROVED).select_related("question")
    )


def comments_to_moderate(consultation: Consultation) -> list[Comment]:
    return list(consultation.comments.select_related("question"))


def previous_of(consultation: Consultation) -> Consultation | None:
    """The organisation's closed consultation before this one, if it had enough answers."""
    earlier = (
        Consultation.objects.filter(
            organisation_id=consultation.organisation_id,
            status=ConsultationStatus.CLOSED,
            closes_on__lte=consultation.closes_on,
        )
        .exclude(pk=consultation.pk)
        .order_by("-closes_on", "-pk")
        .first()
    )
    return earlier


@dataclass
class Comparison:
    name: str
    before: int | None
    now: int


def comparison(
    consultation: Consultation, now: Results
) -> tuple[Consultation, list[Comparison]] | None:
    """Agreement per theme now beside the previous consultation's (None without one)."""
    previous = previous_of(consultation)
    if previous is None:
        return None
    before = results(previous)
    if before is None:
        return None
    earlier = {t.slug: t.agree_percent for t in before.themes}
    return previous, [Comparison(t.name, earlier.get(t.slug), t.agree_percent) for t in now.themes]


# --- The summary a self-assessment carries -----------------------------------------------------


def summary(consultation: Consultation, *, publish: bool = False) -> dict | None:
    """A closed consultation's figures and approved comments as plain data (the frozen format
    of its appendix), or None while it may show no results."""
    found = results(consultation)
    if found is None:
        return None
    return {
        "title": consultation.title,
        "closed_on": (consultation.closed_on or consultation.closes_on).isoformat(),
        "responses": found.total,
        "threshold": consultation.threshold,
        "publish": publish,
        "themes": [
            {"name": t.name, "agree_percent": t.agree_percent, "segments": t.segments}
            for t in found.themes
        ],
        "questions": [
            {
                "text": r.question.text,
                "shown": r.shown,
                "kind": r.question.kind,
                "answered": r.answered,
                "options": [
                    {"label": o.label, "count": o.count, "percent": o.percent} for o in r.options
                ],
            }
            for r in found.questions
        ],
        "comments": [
            {"question": c.question.text, "text": c.text}
            for c in sorted(
                approved_comments(consultation), key=lambda c: (c.question.position, c.text)
            )
        ],
    }


def attached_summaries(assessment) -> list[dict]:
    """The summaries attached to ``assessment``, oldest attachment first (the documents'
    consultation source, and what a snapshot freezes)."""
    from consultations.models import Attachment

    found = []
    for attachment in Attachment.objects.filter(assessment=assessment).select_related(
        "consultation__organisation"
    ):
        data = summary(attachment.consultation, publish=attachment.publish)
        if data:
            found.append(data)
    return found


def appendix_content(assessment) -> dict:
    """The consultations' part of a self-assessment's appendices (registered with
    ``assessments.documents``): ``consultations`` only when a summary is attached, so that every
    other content, and the hash its signatures cover, is what it always was."""
    summaries = attached_summaries(assessment)
    return {"consultations": summaries} if summaries else {}


# --- The sector view ---------------------------------------------------------------------------


@dataclass
class SectorTheme:
    slug: str
    name: str
    counts: list[int]
    organisations: int

    @property
    def segments(self) -> list[dict]:
        return [
            {"label": label, "count": count}
            for label, count in zip(AGREEMENT_SCALE, self.counts, strict=True)
        ]

    @property
    def total(self) -> int:
        return sum(self.counts)


def sector_agreement() -> list[SectorTheme]:
    """Agreement per theme from the shared question set, across closed consultations whose
    organisation consented and which reached their threshold; a theme is shown only when at
    least one such consultation contributes."""
    consultations = {
        c.pk: c
        for c in Consultation.objects.filter(
            status=ConsultationStatus.CLOSED, sector_consent=True
        ).annotate(n=Count("responses"))
        if c.n >= c.threshold
    }
    shared = Answer.objects.filter(
        question__consultation_id__in=list(consultations),
        question__kind=QuestionKind.AGREEMENT,
        question__shared__isnull=False,
        question__theme__isnull=False,
    )
    # A statement fewer than its consultation's threshold answered adds nothing.
    answered = {
        row["question_id"]: row["n"]
        for row in shared.values("question_id").annotate(n=Count("response_id", distinct=True))
    }
    rows = shared.values(
        "question_id", "question__theme_id", "question__consultation_id", "value"
    ).annotate(n=Count("id"))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    organisations: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        consultation = consultations[row["question__consultation_id"]]
        if answered[row["question_id"]] < consultation.threshold:
            continue
        theme_id = row["question__theme_id"]
        counts[theme_id][row["value"] - 1] += row["n"]
        organisations[theme_id].add(consultation.organisation_id)
    return [
        SectorTheme(theme.slug, theme.name, counts[theme.pk], len(organisations[theme.pk]))
        for theme in Theme.objects.filter(pk__in=list(counts)).order_by("position")
    ]
