"""The browser's word count (static/js/wordcount.js) agrees with the server's on every case."""

from pathlib import Path

import pytest

from tests.text.test_word_count import CASES

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "wordcount.js"


def test_the_browser_counts_words_by_the_shared_table(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><html lang='en-GB'><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    counted = page.evaluate("cases => cases.map(c => window.TC.countWords(c.text))", CASES)
    context.close()
    assert {c["case"]: n for c, n in zip(CASES, counted, strict=True)} == {
        c["case"]: c["words"] for c in CASES
    }
