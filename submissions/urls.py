from django.urls import path

from submissions.views import flow, pool, review, sector

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
    # The reviewer pool, in the portal's administration (submissions/views/pool.py).
    path("administration/reviewers/", pool.PoolView.as_view(), name="admin_pool"),
    path("administration/reviewers/add/", pool.AddReviewerView.as_view(), name="admin_pool_add"),
    path("administration/reviewers/<int:pk>/", pool.ReviewerView.as_view(), name="admin_reviewer"),
    # The steering group's side (submissions/views/review.py and sector.py).
    path("signatories/", sector.SectorOverviewView.as_view(), name="sector_overview"),
    path("signatories/dashboard/", sector.SectorDashboardView.as_view(), name="sector_dashboard"),
    path(
        "signatories/dashboard/<slug:table>.csv",
        sector.SectorCsvView.as_view(),
        name="sector_csv",
    ),
    path("review/", review.ReviewQueueView.as_view(), name="review_queue"),
    path("review/mine/", review.MyReviewsView.as_view(), name="review_mine"),
    path(one + "review/", review.ReviewWorkspaceView.as_view(), name="review_workspace"),
    path(one + "review/assign/", review.assign, name="review_assign"),
    path(
        one + "review/assignments/<int:assignment_id>/unassign/",
        review.unassign,
        name="review_unassign",
    ),
    path(
        one + "review/sections/<int:section_id>/comment/",
        review.comment,
        name="review_comment",
    ),
    path(one + "review/ratings/", review.save_ratings, name="review_ratings"),
    path(one + "review/feedback/", review.save_feedback, name="review_feedback"),
    path(one + "review/release/", review.release, name="review_release"),
    path(one + "review/changes/", review.ReviewChangesView.as_view(), name="review_changes"),
    path(one + "feedback/", review.FeedbackView.as_view(), name="feedback"),
    path(one + "feedback/comments/<int:comment_id>/reply/", review.reply, name="feedback_reply"),
]
