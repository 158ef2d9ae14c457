from django.urls import path

from actionplans.views import earlier, key, papers, plans, reviews, transfer  # noqa: F401

app_name = "actionplans"

base = "organisations/<slug:slug>/action-plans/"
one = base + "<int:pk>/"
appending = "organisations/<slug:slug>/self-assessments/<int:pk>/appended-reviews/"

urlpatterns = [
    # The plan and its editor (actionplans/views/plans.py).
    path(base, plans.PlanListView.as_view(), name="list"),
    path(base + "start/", plans.start_plan, name="start"),
    # Plans of earlier cycles, approved before the portal (actionplans/views/earlier.py).
    path(base + "earlier/", earlier.EarlierPlanView.as_view(), name="earlier"),
    path(one + "original.pdf", earlier.original, name="original"),
    path(one + "original/", earlier.OriginalView.as_view(), name="replace_original"),
    path(one + "original/show/", earlier.show_original, name="show_original"),
    path(one, plans.PlanView.as_view(), name="plan"),
    path(one + "carry-forward/", plans.CarryForwardView.as_view(), name="carry_forward"),
    path(one + "settings/", plans.PlanSettingsView.as_view(), name="settings"),
    path(one + "settings/<slug:part>/", plans.PlanSettingsView.as_view(), name="settings_part"),
    path(one + "key/<int:owner_id>/move/", key.move_code, name="move_code"),
    path(one + "headings/<int:heading_id>/new/", plans.new_action, name="new_action"),
    path(one + "headings/<int:heading_id>/add/", plans.add_action, name="add_action"),
    path(one + "rows/", plans.change_row, name="change_row"),
    path(one + "actions/<int:action_id>/", plans.action_row, name="action"),
    path(one + "actions/<int:action_id>/edit/", plans.edit_action, name="edit_action"),
    path(one + "actions/<int:action_id>/save/", plans.save_action, name="save_action"),
    path(one + "examples/<int:example_id>/add/", plans.add_example, name="add_example"),
    # Progress reviews and achievements (actionplans/views/reviews.py).
    path(one + "reviews/", reviews.ReviewListView.as_view(), name="reviews"),
    path(one + "reviews/new/", reviews.ReviewStartView.as_view(), name="review_new"),
    path(one + "reviews/<int:review_id>/", reviews.ReviewView.as_view(), name="review"),
    path(
        one + "reviews/<int:review_id>/finalise/", reviews.finalise_review, name="review_finalise"
    ),
    path(one + "reviews/<int:review_id>/reopen/", reviews.reopen_review, name="review_reopen"),
    path(
        one + "reviews/<int:review_id>/export/<slug:fmt>/",
        reviews.export_review,
        name="review_export",
    ),
    path(
        one + "reviews/<int:review_id>/import/",
        reviews.ReviewImportView.as_view(),
        name="review_import",
    ),
    path(
        one + "reviews/<int:review_id>/import/preview/",
        reviews.ReviewImportPreviewView.as_view(),
        name="review_import_preview",
    ),
    path(
        one + "reviews/<int:review_id>/import/confirm/",
        reviews.ReviewImportConfirmView.as_view(),
        name="review_import_confirm",
    ),
    # Update papers made from finalised reviews (actionplans/views/papers.py).
    path(
        one + "reviews/<int:review_id>/update-papers/new/",
        papers.PaperStartView.as_view(),
        name="update_paper_new",
    ),
    path(one + "update-papers/<int:paper_id>/", papers.PaperView.as_view(), name="update_paper"),
    path(one + "achievements/", reviews.AchievementsView.as_view(), name="achievements"),
    # A finalised review of an earlier plan, appended to a later self-assessment (its RAG
    # analysis), from the panel beside that question (actionplans/views/reviews.py).
    path(appending + "append/", reviews.append_review, name="append_review"),
    path(appending + "detach/", reviews.detach_review, name="detach_review"),
    # Import and export (actionplans/views/transfer.py).
    path(one + "export/<slug:fmt>/", transfer.export, name="export"),
    path(one + "import/", transfer.ImportView.as_view(), name="import"),
    path(one + "import/preview/", transfer.ImportPreviewView.as_view(), name="import_preview"),
    path(one + "import/confirm/", transfer.confirm_import, name="import_confirm"),
]
