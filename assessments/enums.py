from django.db import models


class CycleMonths(models.IntegerChoices):
    """How long after one self-assessment the next is due."""

    TWO_YEARS = 24, "24 months (biennial)"
    THREE_YEARS = 36, "36 months (three-year cycle)"


# The first self-assessment is due this many months after signing.
FIRST_ASSESSMENT_MONTHS = 12
