from django.urls import path  # noqa: F401 - patterns are added per module below

from publications.views import manage, pdf, public  # noqa: F401

app_name = "publications"

directory = "directory/"
organisation = directory + "<slug:slug>/"
document = organisation + "documents/<int:pk>/"

urlpatterns = [
    # Public pages (publications/views/public.py): the directory, an organisation, a document
    # (name "document", kwargs slug and pk), the accessibility statement, open data.
    # PDFs (publications/views/pdf.py): a published document's PDF, drafts' PDFs.
    # Publishing (publications/views/manage.py): publish and withdraw, for leads.
]
