"""What makes an answer of each kind valid, used by the section form, autosave and the check.

Drafts save whatever was typed; these rules report problems beside the box and on the "check your
answers" page, so that nothing typed is ever refused and lost.
"""

import re
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from assessments.enums import QuestionKind
from assessments.models import Question
from techcommit.text import count_words

_TELEPHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


def _check_email(text: str) -> str | None:
    try:
        _email(text)
    except ValidationError:
        return "Enter an e-mail address in the correct format, like name@example.ac.uk"
    return None


def _check_url(text: str) -> str | None:
    try:
        _url(text)
    except ValidationError:
        return "Enter a full web address, starting with https://"
    return None


def _check_number(text: str) -> str | None:
    if not re.fullmatch(r"[0-9][0-9,]*", text):
        return "Enter a whole number, like 651"
    return None


def _check_date(text: str) -> str | None:
    try:
        date.fromisoformat(text)
    except ValueError:
        return "Enter a real date"
    return None


def _check_telephone(text: str) -> str | None:
    if not _TELEPHONE.fullmatch(text):
        return "Enter a telephone number, like 0151 794 2000 or +44 151 794 2000"
    return None


FORMAT_CHECKS: dict[str, Callable[[str], str | None]] = {
    QuestionKind.EMAIL: _check_email,
    QuestionKind.URL: _check_url,
    QuestionKind.CONFIRM_URL: _check_url,
    QuestionKind.NUMBER: _check_number,
    QuestionKind.DATE: _check_date,
    QuestionKind.TELEPHONE: _check_telephone,
}


# The most characters a one-line answer holds (an organisation's name runs to 200; an e-mail
# address to 254). Longer text is saved, like everything typed, and reported here.
MAX_CHARACTERS: dict[str, int] = {QuestionKind.SHORT_TEXT: 200, QuestionKind.EMAIL: 254}


def length_problem(question: Question, text: str) -> str | None:
    limit = MAX_CHARACTERS.get(question.kind)
    if limit is None or len(text) <= limit:
        return None
    over = len(text) - limit
    return f"{len(text):,} characters: {over:,} over the limit of {limit}. Shorten the answer."


def word_limit_problem(question: Question, text: str) -> str | None:
    if not question.word_limit:
        return None
    words = count_words(text)
    if words > question.word_limit:
        over = words - question.word_limit
        return f"{words} words: {over} over the limit of {question.word_limit}. Shorten the answer."
    return None


def value_problems(question: Question, text: str, flag: bool | None) -> list[str]:
    """Problems with a saved value (not with a missing one)."""
    problems = []
    if question.kind == QuestionKind.CONFIRM_URL and text and flag is not True:
        problems.append("Confirm that the status and action plan are published")
    if text and (message := length_problem(question, text)):
        problems.append(message)
    check = FORMAT_CHECKS.get(question.kind)
    if text and check and (message := check(text)):
        problems.append(message)
    if text and (message := word_limit_problem(question, text)):
        problems.append(message)
    return problems


def is_blank(question: Question, text: str, flag: bool | None) -> bool:
    if question.kind == QuestionKind.CONFIRM_URL:
        return not text and flag is not True
    return count_words(text) == 0 if "<" in text else not text.strip()
