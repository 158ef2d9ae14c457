"""The one way every ALLOWED_TRANSITIONS table is tested: for a pair of statuses, the move
happens and leaves exactly one history row, or it is refused and changes nothing."""

import pytest


def pairs(statuses) -> list[tuple[str, str]]:
    """Every (from, to) pair of different statuses."""
    return [(a, b) for a in statuses for b in statuses if a != b]


def assert_table_decides(obj, *, start, to, table, move, history, refused):
    """Put ``obj`` in ``start``, try ``move(obj, to)``, and check the outcome against ``table``.
    Returns the history row of an allowed move (for the caller's own checks), else None."""
    model = type(obj)
    model.objects.filter(pk=obj.pk).update(status=start)
    obj.refresh_from_db()
    if to in table[start]:
        move(obj, to)
        assert (obj.status, model.objects.get(pk=obj.pk).status) == (to, to)
        [row] = history()
        assert (row.from_status, row.to_status) == (start, to)
        return row
    with pytest.raises(refused, match="cannot become"):
        move(obj, to)
    assert model.objects.get(pk=obj.pk).status == start
    assert list(history()) == []
    return None
