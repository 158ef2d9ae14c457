"""Publications made before redaction was applied when publishing (publications.redaction) still
held the lead's own e-mail and telephone in their stored content. This takes every private answer
out of the stored content of every self-assessment publication.

The stored PDFs of those publications already left out the header's e-mail and telephone; a
private answer anywhere else was printed, so such a publication's PDF is rendered again from the
redacted content (queued like any new publication's; at once in development)."""

from django.db import migrations

from publications.redaction import is_private, redact


def printed_private_answer(content: dict) -> bool:
    """The old PDF printed a private answer: one outside the first (header) section."""
    sections = (content.get("document") or {}).get("sections") or []
    return any(
        is_private(question)
        and any((box.get("text") or "").strip() for box in question.get("boxes") or [])
        for section in sections[1:]
        for question in section.get("questions") or []
    )


def redact_publications(apps, schema_editor):
    Publication = apps.get_model("publications", "Publication")
    rerender = []
    for publication in Publication.objects.filter(kind="self_assessment").iterator():
        redacted = redact(publication.content)
        if redacted == publication.content:
            continue
        fields = ["content"]
        if printed_private_answer(publication.content):
            if publication.pdf:
                publication.pdf.delete(save=False)  # the old file held the answer too
            publication.pdf = ""
            publication.pdf_state = "pending"
            fields += ["pdf", "pdf_state"]
            rerender.append(publication.pk)
        publication.content = redacted
        publication.save(update_fields=fields)
    if rerender:
        from publications.tasks import render_pdf

        for pk in rerender:
            render_pdf.enqueue(pk)


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    # What was taken out is not kept anywhere, so there is nothing to put back.
    operations = [migrations.RunPython(redact_publications, migrations.RunPython.noop)]
