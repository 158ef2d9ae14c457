"""One word-counting rule on the server and in the browser, checked by one table of cases."""

import json
from pathlib import Path

import pytest

from techcommit.text import count_words

CASES = json.loads((Path(__file__).parent / "wordcount_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_the_server_counts_words_by_the_shared_table(case):
    assert count_words(case["text"]) == case["words"]


def test_the_table_covers_what_the_issue_names():
    names = " ".join(c["case"] for c in CASES)
    for needed in ("hyphenated", "numbers", "bullet", "non-breaking"):
        assert needed in names
