"""A published self-assessment as the one document builder (``assessments.documents``) reads
it: for the public page and the PDF alike."""

from __future__ import annotations

from assessments import documents
from publications.redaction import redact


def publication_document(
    content: dict, figures: dict[str, list[documents.Figure]] | None = None
) -> documents.Document:
    """A published self-assessment's stored content, passed through ``redaction.redact`` (the
    stored content already was; this keeps any reader from showing more), with the published
    signatures and their note."""
    content = redact(content)
    return documents.build(
        content.get("document") or {},
        figures=figures,
        signatures=documents.published_signatures(content),
        sign_off_note=content.get("sign_off_note", ""),
    )
