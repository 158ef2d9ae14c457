"""Rendering a publication's PDF away from the request (filled in by the PDF work)."""


def queue_pdf(publication) -> None:
    """Render and store the publication's PDF once, after the publishing transaction commits."""
