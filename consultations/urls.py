from django.urls import path

from consultations import views

app_name = "consultations"

base = "organisations/<slug:slug>/consultations/"
one = base + "<int:pk>/"

urlpatterns = [
    # The organisation's consultations (its lead and contributors).
    path(base, views.ConsultationListView.as_view(), name="list"),
    path(base + "new/", views.ConsultationCreateView.as_view(), name="new"),
    path(one, views.ConsultationView.as_view(), name="detail"),
    path(one + "edit/", views.ConsultationEditView.as_view(), name="edit"),
    path(one + "questions/add/", views.AddQuestionView.as_view(), name="add_question"),
    path(
        one + "questions/<int:question_id>/remove/",
        views.remove_question,
        name="remove_question",
    ),
    path(one + "status/<slug:to>/", views.change_status, name="change_status"),
    path(one + "invite/", views.InviteView.as_view(), name="invite"),
    path(one + "results/", views.ResultsView.as_view(), name="results"),
    path(one + "results.csv", views.export_csv, name="export"),
    path(one + "moderation/", views.ModerationView.as_view(), name="moderation"),
    path(one + "moderation/<uuid:comment_id>/", views.moderate, name="moderate"),
    path(one + "attach/", views.AttachView.as_view(), name="attach"),
    path(one + "attach/<int:attachment_id>/remove/", views.detach, name="detach"),
    # The steering group's view across consenting organisations.
    path("sector/technician-voice/", views.sector, name="sector"),
    # Respondents: no account, a link.
    path("voice/withdraw/", views.withdraw, name="withdraw"),
    path("voice/invited/<str:token>/", views.respond_invited, name="respond_invited"),
    path("voice/<str:token>/", views.respond, name="respond"),
]
