from django.urls import path  # noqa: F401 - patterns are added per module below

from publications.views import manage, pdf, public  # noqa: F401

app_name = "publications"

directory = "directory/"
organisation = directory + "<slug:slug>/"
document = organisation + "documents/<int:pk>/"
mine = "organisations/<slug:slug>/publications/"

urlpatterns = [
    # Public pages (publications/views/public.py): the directory, an organisation, a document
    # (name "document", kwargs slug and pk), the accessibility statement, open data.
    path(directory, public.DirectoryView.as_view(), name="directory"),
    path("search/", public.SearchView.as_view(), name="search"),
    path(directory + "signatories.csv", public.signatories_csv, name="signatories_csv"),
    path(directory + "signatories.json", public.signatories_json, name="signatories_json"),
    path(
        directory + "progress-reviews.csv",
        public.progress_reviews_csv,
        name="progress_reviews_csv",
    ),
    path(
        directory + "progress-reviews.json",
        public.progress_reviews_json,
        name="progress_reviews_json",
    ),
    path(organisation, public.OrganisationView.as_view(), name="organisation"),
    path(document, public.DocumentView.as_view(), name="document"),
    path(document + "figures/<int:figure_id>/", public.figure, name="figure"),
    path(document + "plan.csv", public.plan_csv, name="plan_csv"),
    path(document + "plan.json", public.plan_json, name="plan_json"),
    path("accessibility/", public.AccessibilityView.as_view(), name="accessibility"),
    path("open-data/", public.OpenDataView.as_view(), name="open_data"),
    # PDFs (publications/views/pdf.py): a published document's PDF (the address that waits for
    # it, and its versioned address); drafts' PDFs are at the end.
    path(document + "pdf/", pdf.publication_pdf, name="pdf"),
    path(document + "pdf/<str:token>/", pdf.publication_pdf_file, name="pdf_file"),
    # Publishing (publications/views/manage.py): publish and withdraw, for leads.
    path(mine, manage.PublicationsView.as_view(), name="manage"),
    path(
        mine + "self-assessments/<int:assessment_id>/publish/",
        manage.publish_self_assessment,
        name="publish_self_assessment",
    ),
    path(mine + "action-plans/<int:plan_id>/publish/", manage.publish_plan, name="publish_plan"),
    path(mine + "reviews/<int:review_id>/publish/", manage.publish_review, name="publish_review"),
    path(
        mine + "update-papers/<int:paper_id>/preview/",
        manage.UpdatePaperPreviewView.as_view(),
        name="update_paper_preview",
    ),
    path(
        mine + "update-papers/<int:paper_id>/publish/",
        manage.publish_update_paper,
        name="publish_update_paper",
    ),
    path(mine + "<int:pk>/withdraw/", manage.withdraw, name="withdraw"),
]

# Drafts' PDFs, for the people who may see the draft: the page (progress, download), the button
# that asks the worker to make it, the status htmx polls, the file.
for which, segment in (("assessment", "self-assessments"), ("plan", "action-plans")):
    draft = f"organisations/<slug:slug>/{segment}/<int:pk>/pdf/"
    kind = {"which": which}
    urlpatterns += [
        path(draft, pdf.draft_pdf, kind, name=f"{which}_draft_pdf"),
        path(draft + "make/", pdf.draft_pdf_make, kind, name=f"{which}_draft_pdf_make"),
        path(
            draft + "<int:draft_id>/", pdf.draft_pdf_status, kind, name=f"{which}_draft_pdf_status"
        ),
        path(
            draft + "<int:draft_id>/draft.pdf",
            pdf.draft_pdf_file,
            kind,
            name=f"{which}_draft_pdf_file",
        ),
    ]
