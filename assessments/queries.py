"""Reading self-assessments: which a person may see, and the whole form with its answers loaded
in a fixed number of queries however many questions and answers there are."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from assessments.enums import QuestionKind, SectionState
from assessments.fields import is_blank, value_problems
from assessments.models import (
    Answer,
    Figure,
    Question,
    Section,
    SectionCompletion,
    SelfAssessment,
    Theme,
)
from signatories.models import Organisation
from signatories.rules import is_administrator, is_member_of


def assessments_of(organisation: Organisation) -> QuerySet[SelfAssessment]:
    """An organisation's self-assessments; views reach them only through the organisation."""
    return organisation.self_assessments.select_related("form_version", "organisation")


# People outside an organisation who may open some of its self-assessments, and where: the apps
# above this one register a reader from their ``AppConfig.ready()`` (submissions: a reviewer
# opens the submission they are assigned to). A reader answers, for a person and an
# organisation, [(self-assessment, the address where this person opens it)].
OutsideReader = Callable[[object, Organisation], list[tuple[SelfAssessment, str]]]
_outside_readers: dict[str, OutsideReader] = {}


def register_outside_reader(name: str, reader: OutsideReader) -> None:
    _outside_readers[name] = reader


def assessments_listed_for(user, organisation: Organisation) -> list[tuple[SelfAssessment, str]]:
    """The organisation's self-assessments this person may open, newest first, each with the
    address where they open it.

    Its members and the administrators (``assessments.view_assessment``) get every one, on
    its own pages. Anyone else, such as a steering group reviewer, gets only those a registered
    reader lets them open: never a draft, a start date or a link that would answer 404.
    """
    if is_member_of(user, organisation) or is_administrator(user):
        return [(a, a.get_absolute_url()) for a in assessments_of(organisation)]
    found = {}
    for reader in _outside_readers.values():
        for assessment, url in reader(user, organisation):
            found.setdefault(assessment.pk, (assessment, url))
    return sorted(found.values(), key=lambda pair: pair[0].due_on, reverse=True)


@dataclass
class Box:
    """One answer box on the page: a question, or one theme of a per-theme question."""

    question: Question
    theme: Theme | None
    answer: Answer | None
    problems: list[str] = field(default_factory=list)

    @property
    def html_id(self) -> str:
        suffix = f"-{self.theme.slug}" if self.theme else ""
        return f"answer-{self.question.key}{suffix}"

    @property
    def text(self) -> str:
        return self.answer.text if self.answer else ""

    @property
    def flag(self) -> bool | None:
        return self.answer.flag if self.answer else None

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

    @property
    def is_blank(self) -> bool:
        return is_blank(self.question, self.text, self.flag)

    @property
    def label(self) -> str:
        return self.theme.name if self.theme else self.question.text


@dataclass
class QuestionView:
    question: Question
    boxes: list[Box]
    figures: list[Figure]

    @property
    def is_answered(self) -> bool:
        if self.question.kind == QuestionKind.FIGURES:
            return bool(self.figures)
        return any(not box.is_blank for box in self.boxes)


@dataclass
class SectionView:
    section: Section
    questions: list[QuestionView]
    state: str
    completion: SectionCompletion | None

    @property
    def state_label(self) -> str:
        return SectionState(self.state).label


@dataclass
class Problem:
    section: Section
    box: Box | None
    message: str

    @property
    def anchor(self) -> str:
        return self.box.html_id if self.box else f"section-{self.section.position}"


@dataclass
class LoadedAssessment:
    assessment: SelfAssessment
    sections: list[SectionView]
    themes: list[Theme]

    @property
    def completed_count(self) -> int:
        return sum(1 for s in self.sections if s.state == SectionState.COMPLETED)

    def section(self, position: int) -> SectionView | None:
        return next((s for s in self.sections if s.section.position == position), None)

    def problems(self) -> list[Problem]:
        """Everything that stops the self-assessment being submitted, in form order."""
        found = []
        for section_view in self.sections:
            for question_view in section_view.questions:
                question = question_view.question
                if question.kind == QuestionKind.FIGURES:
                    if question.required and not question_view.figures:
                        found.append(Problem(section_view.section, None, f"Add {question.text}"))
                    continue
                for box in question_view.boxes:
                    if box.is_blank:
                        if question.required:
                            found.append(Problem(section_view.section, box, _missing(box)))
                        continue
                    for message in box.problems:
                        found.append(Problem(section_view.section, box, message))
            if section_view.state != SectionState.COMPLETED:
                found.append(
                    Problem(
                        section_view.section,
                        None,
                        f"Mark the section ‘{section_view.section.title}’ as complete",
                    )
                )
        return found

    def is_complete(self) -> bool:
        return not self.problems()


def _missing(box: Box) -> str:
    if box.theme:
        return f"Not answered ({box.theme.name}): {box.question.text}"
    return f"Not answered: {box.question.text}"


def load_assessment(assessment: SelfAssessment) -> LoadedAssessment:
    """The form with every answer, figure and section state, in six queries."""
    sections = list(
        Section.objects.filter(form_version_id=assessment.form_version_id).prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position"))
        )
    )
    themes = list(Theme.objects.filter(asked_per_theme=True).prefetch_related("examples"))
    answers = {
        (a.question_id, a.theme_id): a for a in assessment.answers.select_related("updated_by")
    }
    figures: dict[int, list[Figure]] = {}
    for figure in assessment.figures.order_by("position"):
        figures.setdefault(figure.question_id, []).append(figure)
    completions = {c.section_id: c for c in assessment.completions.select_related("completed_by")}

    section_views = []
    for section in sections:
        question_views = []
        for question in section.questions.all():
            box_themes = themes if question.kind == QuestionKind.PER_THEME else [None]
            boxes = []
            for theme in box_themes:
                answer = answers.get((question.pk, theme.pk if theme else None))
                box = Box(question, theme, answer)
                if answer:
                    box.problems = value_problems(question, answer.text, answer.flag)
                boxes.append(box)
            question_views.append(QuestionView(question, boxes, figures.get(question.pk, [])))
        completion = completions.get(section.pk)
        if completion:
            state = SectionState.COMPLETED
        elif any(qv.is_answered for qv in question_views):
            state = SectionState.IN_PROGRESS
        else:
            state = SectionState.NOT_STARTED
        section_views.append(SectionView(section, question_views, state, completion))
    return LoadedAssessment(assessment, section_views, themes)


def is_complete(assessment: SelfAssessment) -> bool:
    """The completeness check the submission flow calls: no problem left on the check page."""
    return load_assessment(assessment).is_complete()
