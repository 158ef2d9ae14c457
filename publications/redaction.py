"""What the public never sees, decided once.

``redact`` is applied when a self-assessment is published (``services.publish_self_assessment``),
so a publication's stored content never holds a private answer: the public page, the PDF and
anything later made from a publication show what it holds and hide nothing themselves. A draft's
PDF, for the people who may see the draft, is made from the live content and is not redacted.

Pure functions over plain data, importing nothing but enums, so that the data migration that
redacted the publications made before this rule can use them as they are.
"""

from __future__ import annotations

from publications.enums import PRIVATE_KINDS


def is_private(question: dict) -> bool:
    """A person's own contact details (the form's e-mail and telephone questions), or a question
    the form marks private."""
    return question.get("kind") in PRIVATE_KINDS or bool(question.get("private"))


def redact(content: dict) -> dict:
    """A self-assessment publication's content without any private question or its answer, in
    any section. The given content is left as it is."""
    document = content.get("document") or {}
    sections = [
        {**section, "questions": [q for q in section.get("questions") or [] if not is_private(q)]}
        for section in document.get("sections") or []
    ]
    return {**content, "document": {**document, "sections": sections}}
