"""Reading ids that people send: every view that takes an id from POST or GET goes through here.

An id is whatever a browser can send: a word, "²" (a digit to ``str.isdigit`` that ``int``
refuses), or a number beyond the database's 64-bit integers (an OverflowError on SQLite, an
error on PostgreSQL). None of them names a row, so each is simply "nothing there".
"""

from django.http import Http404

# Ids are BigAutoField (settings.DEFAULT_AUTO_FIELD): positive, and at most a signed 64-bit
# integer on every database the portal runs on.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id ``value`` names, or None when it cannot name a row."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> set[int]:
    """The ids among ``values`` (for example ``request.POST.getlist(...)``); others are left out."""
    return {number for number in map(parse_id, values) if number is not None}


def id_or_404(value) -> int:
    """The id ``value`` names; a 404 when it cannot name a row."""
    number = parse_id(value)
    if number is None:
        raise Http404("Nothing here.")
    return number
