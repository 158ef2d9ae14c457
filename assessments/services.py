"""When each organisation's next self-assessment is due."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from assessments.enums import FIRST_ASSESSMENT_MONTHS, CycleMonths
from assessments.models import CohortDeadline, FormVersion
from signatories.enums import ASSESSED_STATUSES
from signatories.models import Organisation
from techcommit.dates import add_months


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
    return due_dates_for([organisation], today)[organisation.pk]
