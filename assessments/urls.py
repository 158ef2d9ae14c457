from django.urls import path

from assessments import views

app_name = "assessments"

base = "organisations/<slug:slug>/self-assessments/"
one = base + "<int:pk>/"

urlpatterns = [
    path("administration/cohorts/", views.CohortListView.as_view(), name="admin_cohorts"),
    path("administration/cohorts/add/", views.CohortAddView.as_view(), name="admin_cohort_add"),
    path("administration/cohorts/<int:pk>/", views.CohortEditView.as_view(), name="admin_cohort"),
    path("text/clean/", views.clean_pasted_html, name="clean_pasted_html"),
    path(base, views.AssessmentListView.as_view(), name="list"),
    path(base + "start/", views.start_assessment, name="start"),
    path(one, views.TaskListView.as_view(), name="task_list"),
    path(one + "sections/<int:position>/", views.SectionView.as_view(), name="section"),
    path(one + "check/", views.CheckView.as_view(), name="check"),
    path(one + "preview/", views.PreviewView.as_view(), name="preview"),
    path(one + "answers/<int:question_id>/", views.autosave, name="autosave"),
    # Before the theme pattern, which would otherwise take "reuse" for a theme's slug.
    path(one + "answers/<int:question_id>/reuse/", views.reuse_previous, name="reuse"),
    path(one + "answers/<int:question_id>/<slug:theme>/", views.autosave, name="autosave_theme"),
    path(
        one + "answers/<int:question_id>/<slug:theme>/reuse/",
        views.reuse_previous,
        name="reuse_theme",
    ),
    path(one + "history/<int:answer_id>/", views.HistoryView.as_view(), name="history"),
    path(
        one + "history/<int:answer_id>/<int:version>/restore/",
        views.restore_version,
        name="restore",
    ),
    path(one + "figures/<int:question_id>/add/", views.add_figure, name="add_figure"),
    path(one + "figure/<int:figure_id>/", views.change_figure, name="change_figure"),
    path(one + "figure/<int:figure_id>/image/", views.figure_image, name="figure_image"),
]
