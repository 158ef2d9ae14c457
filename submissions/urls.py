from django.urls import path

from submissions.views import flow, review  # noqa: F401

app_name = "submissions"

one = "organisations/<slug:slug>/self-assessments/<int:pk>/"

urlpatterns = [
    # The organisation's side (submissions/views/flow.py).
    path(one + "submission/", flow.SubmissionView.as_view(), name="submission"),
    path(one + "submission/request-sign-off/", flow.request_sign_off, name="request_sign_off"),
    path(one + "submission/reopen/", flow.reopen, name="reopen"),
    path(one + "submission/submit/", flow.submit, name="submit"),
    path(one + "submission/sign/<int:sign_off_id>/", flow.sign, name="sign"),
    path(
        one + "submission/revisions/<int:revision>/", flow.SnapshotView.as_view(), name="snapshot"
    ),
    path(
        one + "submission/revisions/<int:revision>/figures/<int:figure_id>/",
        flow.snapshot_figure,
        name="snapshot_figure",
    ),
    # The steering group's side (submissions/views/review.py).
]
