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
    any section, nor a consultation summary the lead did not choose to publish. The given
    content is left as it is."""
    document = content.get("document") or {}
    sections = [
        {**section, "questions": [q for q in section.get("questions") or [] if not is_private(q)]}
        for section in document.get("sections") or []
    ]
    redacted = {**document, "sections": sections}
    # A technician voice consultation's summary is published only if the lead chose so.
    if "consultations" in document:
        chosen = [c for c in document.get("consultations") or [] if c.get("publish")]
        if chosen:
            redacted["consultations"] = chosen
        else:
            del redacted["consultations"]
    return {**content, "document": redacted}
