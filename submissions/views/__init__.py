"""Submission pages in three modules: the organisation's side (``flow``: submitting, signing,
reading feedback), the steering group's (``review``: queue, assignments, reviewing) and the
sector overview (``sector``). Their lookups are in submissions/lookups.py."""
