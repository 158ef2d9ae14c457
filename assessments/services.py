"""Self-assessments: when each is due, starting one, saving answers without losing a word."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.enums import (
    EDITABLE_STATES,
    FIRST_ASSESSMENT_MONTHS,
    OPEN_STATES,
    RICH_TEXT_KINDS,
    CycleMonths,
    Prefill,
)
from assessments.models import (
    Answer,
    AnswerRevision,
    CohortDeadline,
    Figure,
    FormVersion,
    Question,
    Section,
    SectionCompletion,
    SelfAssessment,
    SignOffRequirement,
    Theme,
)
from signatories.enums import ASSESSED_STATUSES, Role
from signatories.models import Organisation
from techcommit.dates import add_months
from techcommit.text import sanitise_html


@dataclass(frozen=True)
class DueDate:
    due_on: date
    today: date
    is_first: bool
    cohort: CohortDeadline | None = None

    @property
    def days_left(self) -> int:
        """Days until the due date; negative once it has passed."""
        return (self.due_on - self.today).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.days_left <= 60


def version_in_use(versions: Sequence[FormVersion], on: date) -> FormVersion | None:
    """The form version in use on a date (the earliest one for dates before any)."""
    in_use = None
    for version in sorted(versions, key=lambda v: v.in_use_from):
        if version.in_use_from <= on or in_use is None:
            in_use = version
    return in_use


def next_due(
    organisation: Organisation,
    versions: Sequence[FormVersion],
    cohorts: Iterable[CohortDeadline],
    today: date,
) -> DueDate | None:
    """The organisation's next self-assessment due date, or None when none is expected.

    The first is due twelve months after signing; each later one a cycle after the previous
    self-assessment, the cycle being the one of the form version in use when it was made. A
    cohort deadline covering the signing date replaces that until a self-assessment is submitted
    on or after the date the cohort starts counting from.
    """
    if organisation.status not in ASSESSED_STATUSES:
        return None
    last = organisation.last_assessed_on
    if last is None:
        due_on = add_months(organisation.signed_on, FIRST_ASSESSMENT_MONTHS)
    else:
        version = version_in_use(versions, last)
        cycle = version.cycle_months if version else CycleMonths.TWO_YEARS
        due_on = add_months(last, cycle)
    open_cohorts = [
        cohort
        for cohort in cohorts
        if cohort.covers(organisation.signed_on) and (last is None or last < cohort.counts_from)
    ]
    if open_cohorts:
        cohort = min(open_cohorts, key=lambda c: c.due_on)
        return DueDate(cohort.due_on, today, is_first=last is None, cohort=cohort)
    return DueDate(due_on, today, is_first=last is None)


def due_dates_for(
    organisations: Iterable[Organisation], today: date | None = None
) -> dict[int, DueDate | None]:
    """{organisation id: due date} for many organisations in two queries, however many."""
    today = today or timezone.localdate()
    versions = list(FormVersion.objects.all())
    cohorts = list(CohortDeadline.objects.all())
    return {org.pk: next_due(org, versions, cohorts, today) for org in organisations}


def due_date_for(organisation: Organisation, today: date | None = None) -> DueDate | None:
    """The organisation's next due date. For today's, the answer is kept on the instance, so
    that the cards of one page that each show it (the due date, the next step) share it."""
    if today is not None:
        return due_dates_for([organisation], today)[organisation.pk]
    if "_due_date_today" not in organisation.__dict__:
        organisation._due_date_today = due_dates_for([organisation])[organisation.pk]
    return organisation._due_date_today


# --- Starting a self-assessment -------------------------------------------------------------


class AssessmentError(Exception):
    """A self-assessment action that cannot be done, with a reason a person can act on."""


def form_version_for(first: bool, on: date) -> FormVersion | None:
    """The form version for a new self-assessment: the latest in use on ``on`` that suits a first
    (or a later) self-assessment."""
    versions = FormVersion.objects.filter(in_use_from__lte=on).order_by("-in_use_from")
    if first:
        versions = versions.filter(for_first_assessment=True)
    return versions.first() or FormVersion.objects.order_by("in_use_from").first()


def _prefill_values(organisation: Organisation, lead) -> dict[str, str]:
    return {
        Prefill.ORGANISATION_NAME: organisation.name,
        Prefill.LEAD_NAME: lead.full_name if lead else "",
        Prefill.LEAD_EMAIL: lead.email if lead else "",
        Prefill.LEAD_TELEPHONE: lead.telephone if lead else "",
    }


@transaction.atomic
def start_assessment(organisation: Organisation, by, today: date | None = None) -> SelfAssessment:
    """Start the self-assessment for the organisation's current cycle, with the header filled in
    from the organisation and its lead. Starting twice returns the one already started."""
    due = due_dates_for([organisation], today)[organisation.pk]  # fresh, never a page's copy
    if due is None:
        raise AssessmentError(
            f"No self-assessment is expected while {organisation.name} is "
            f"{organisation.get_status_display().lower()}."
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = SelfAssessment.objects.filter(
        organisation=organisation, due_on=due.due_on, status__in=OPEN_STATES
    ).first()
    if existing:
        return existing
    version = form_version_for(first=due.is_first, on=today or timezone.localdate())
    if version is None:
        raise AssessmentError(
            "No self-assessment form has been set up yet. Ask the portal's administrators."
        )
    assessment = SelfAssessment.objects.create(
        organisation=organisation, form_version=version, due_on=due.due_on, created_by=by
    )
    leads = [m.user for m in organisation.memberships.select_related("user") if m.role == Role.LEAD]
    lead = by if any(u.pk == by.pk for u in leads) else (leads[0] if leads else None)
    values = _prefill_values(organisation, lead)
    now = timezone.now()
    for question in Question.objects.filter(section__form_version=version).exclude(prefill=""):
        if values.get(question.prefill):
            answer = Answer.objects.create(
                assessment=assessment,
                question=question,
                text=values[question.prefill],
                version=1,
                updated_at=now,
                updated_by=by,
            )
            AnswerRevision.objects.create(
                answer=answer, version=1, text=answer.text, saved_at=now, saved_by=by
            )
    return assessment


# --- Saving answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    saved: bool
    conflict: bool = False

    @property
    def version(self) -> int:
        return self.answer.version


def normalise_answer_text(question: Question, text: str) -> str:
    if question.kind in RICH_TEXT_KINDS:
        return sanitise_html(text)
    return text.strip()


def _answer_for(assessment: SelfAssessment, question: Question, theme: Theme | None) -> Answer:
    lookup = {"assessment": assessment, "question": question, "theme": theme}
    answer = Answer.objects.filter(**lookup).first()
    if answer is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(**lookup)
        except IntegrityError:  # a colleague's first save won the race
            answer = Answer.objects.get(**lookup)
    return answer


def save_answer(
    assessment: SelfAssessment,
    question: Question,
    *,
    text: str,
    base_version: int,
    by,
    theme: Theme | None = None,
    flag: bool | None = None,
    restored_from: int | None = None,
) -> SaveResult:
    """Save one answer box if nobody has saved it since ``base_version``.

    A compare-and-swap on the version: when a colleague saved in between, nothing is written and
    the result carries their answer as a conflict, for the person to keep either or merge.
    Every successful change is kept as a revision.
    """
    if assessment.status not in EDITABLE_STATES:
        raise AssessmentError("This self-assessment can no longer be changed.")
    text = normalise_answer_text(question, text)
    answer = _answer_for(assessment, question, theme)
    if answer.version != base_version:
        if answer.text == text and answer.flag == flag:
            return SaveResult(answer, saved=False)  # the same words: nothing to resolve
        return SaveResult(answer, saved=False, conflict=True)
    if answer.text == text and answer.flag == flag and answer.version > 0:
        return SaveResult(answer, saved=False)
    now = timezone.now()
    with transaction.atomic():
        updated = Answer.objects.filter(pk=answer.pk, version=base_version).update(
            text=text, flag=flag, version=base_version + 1, updated_at=now, updated_by=by
        )
        if updated == 0:
            answer.refresh_from_db()
            return SaveResult(answer, saved=False, conflict=True)
        AnswerRevision.objects.create(
            answer=answer,
            version=base_version + 1,
            text=text,
            flag=flag,
            saved_at=now,
            saved_by=by,
            restored_from=restored_from,
        )
    answer.refresh_from_db()
    return SaveResult(answer, saved=True)


def restore_revision(answer: Answer, revision: AnswerRevision, by) -> SaveResult:
    """Make an earlier version the current one again, as a new revision (history is kept)."""
    return save_answer(
        answer.assessment,
        answer.question,
        text=revision.text,
        flag=revision.flag,
        theme=answer.theme,
        base_version=answer.version,
        by=by,
        restored_from=revision.version,
    )


def previous_answers(assessment: SelfAssessment) -> dict[tuple[str, int | None], Answer]:
    """Answers of the organisation's previous self-assessment, by (question key, theme id)."""
    previous = (
        SelfAssessment.objects.filter(
            organisation_id=assessment.organisation_id, due_on__lt=assessment.due_on
        )
        .order_by("-due_on")
        .first()
    )
    if previous is None:
        return {}
    answers = Answer.objects.filter(assessment=previous).exclude(text="").select_related("question")
    return {(a.question.key, a.theme_id): a for a in answers}


# --- Sections and checking ----------------------------------------------------------------------


def set_section_complete(assessment: SelfAssessment, section: Section, complete: bool, by) -> None:
    if assessment.status not in EDITABLE_STATES:
        raise AssessmentError("This self-assessment can no longer be changed.")
    if complete:
        SectionCompletion.objects.get_or_create(
            assessment=assessment, section=section, defaults={"completed_by": by}
        )
    else:
        SectionCompletion.objects.filter(assessment=assessment, section=section).delete()


# --- Figures ----------------------------------------------------------------------------------


def _check_editable(assessment: SelfAssessment) -> None:
    if assessment.status not in EDITABLE_STATES:
        raise AssessmentError("This self-assessment can no longer be changed.")


@transaction.atomic
def add_figure(
    assessment: SelfAssessment, question: Question, *, upload, info, caption: str, alt_text: str, by
) -> Figure:
    """Store an uploaded image (already checked by content) under a random name."""
    _check_editable(assessment)
    last = (
        Figure.objects.select_for_update()
        .filter(assessment=assessment, question=question)
        .order_by("-position")
        .first()
    )
    figure = Figure(
        assessment=assessment,
        question=question,
        position=(last.position + 1) if last else 1,
        token=secrets.token_hex(16),
        extension=info.extension,
        width=info.width,
        height=info.height,
        caption=caption.strip(),
        alt_text=alt_text.strip(),
        uploaded_by=by,
    )
    figure.image.save(f"figure.{info.extension}", upload, save=False)
    figure.save()
    return figure


def update_figure(figure: Figure, *, caption: str, alt_text: str) -> Figure:
    _check_editable(figure.assessment)
    figure.caption, figure.alt_text = caption.strip(), alt_text.strip()
    figure.save(update_fields=["caption", "alt_text"])
    return figure


@transaction.atomic
def move_figure(figure: Figure, offset: int) -> None:
    """Swap a figure with its neighbour above (-1) or below (+1)."""
    _check_editable(figure.assessment)
    siblings = list(
        Figure.objects.select_for_update()
        .filter(assessment_id=figure.assessment_id, question_id=figure.question_id)
        .order_by("position")
    )
    index = next(i for i, f in enumerate(siblings) if f.pk == figure.pk)
    other = index + offset
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            Figure.objects.filter(pk=item.pk).update(position=position)


def delete_figure(figure: Figure) -> None:
    _check_editable(figure.assessment)
    storage, name = figure.image.storage, figure.image.name
    figure.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def copy_form_version(
    source: FormVersion, *, name: str, slug: str, in_use_from: date
) -> FormVersion:
    """A new form version with the source's settings, sign-offs, sections and questions.

    Administrators change a form by copying it and editing the copy; a version that
    self-assessments already use is never edited, so their answers keep their questions.
    """
    copy = FormVersion.objects.create(
        name=name,
        slug=slug,
        in_use_from=in_use_from,
        for_first_assessment=source.for_first_assessment,
        cycle_months=source.cycle_months,
        plan_horizon_months=source.plan_horizon_months,
        guidance=source.guidance,
        resign_on_change=source.resign_on_change,
        resign_off_reason=source.resign_off_reason,
        sign_off_policy_changed_at=source.sign_off_policy_changed_at,
        sign_off_policy_changed_by=source.sign_off_policy_changed_by,
    )
    SignOffRequirement.objects.bulk_create(
        SignOffRequirement(form_version=copy, role=s.role, title=s.title, position=s.position)
        for s in source.sign_offs.all()
    )
    for section in source.sections.prefetch_related("questions"):
        questions = list(section.questions.all())
        section.pk, section.form_version = None, copy
        section.save()
        for question in questions:
            question.pk, question.section = None, section
        Question.objects.bulk_create(questions)
    return copy


def set_sign_off_policy(
    version: FormVersion, *, resign_on_change: bool, reason: str, by
) -> FormVersion:
    """Whether a resubmission that changed since it was signed must be signed again (the
    default), or, with a stated reason, may be submitted with the earlier signatures, which
    then show as covering an earlier revision. It may change while the version is in use."""
    reason = reason.strip()
    if not resign_on_change and not reason:
        raise AssessmentError(
            "Say why signers are not asked to sign again; the organisation and the published "
            "document show the reason."
        )
    version.resign_on_change = resign_on_change
    version.resign_off_reason = "" if resign_on_change else reason
    version.sign_off_policy_changed_at = timezone.now()
    version.sign_off_policy_changed_by = by
    version.save(
        update_fields=[
            "resign_on_change",
            "resign_off_reason",
            "sign_off_policy_changed_at",
            "sign_off_policy_changed_by",
        ]
    )
    return version


def form_version_in_use(version: FormVersion) -> bool:
    """Whether any self-assessment was made with this version (then it is not edited)."""
    return SelfAssessment.objects.filter(form_version=version).exists()
