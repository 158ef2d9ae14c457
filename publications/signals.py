"""What moves the public pages' "last change" (techcommit.public_cache): a publication saved
(published, withdrawn, its PDF ready), an organisation edited, or the assessment calendar the
due dates come from."""

from django.db.models.signals import post_delete, post_save

from assessments.models import CohortDeadline, FormVersion
from publications.models import Publication
from signatories.models import Organisation
from techcommit.public_cache import mark_public_change


def _changed(sender, **kwargs) -> None:
    mark_public_change()


def connect() -> None:
    for model in (Publication, Organisation, FormVersion, CohortDeadline):
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-pages-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-pages-delete-{label}")
