from datetime import date

import pytest

from techcommit.dates import add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 5, 10), 12, date(2024, 5, 10)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected
