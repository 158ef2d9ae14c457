from django.urls import path

from signatories import views

app_name = "signatories"

urlpatterns = [
    path("switch-organisation/", views.switch_organisation, name="switch"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path(
        "administration/organisations/",
        views.OrganisationListView.as_view(),
        name="admin_organisations",
    ),
    path(
        "administration/organisations/add/",
        views.OrganisationAddView.as_view(),
        name="admin_organisation_add",
    ),
    path("administration/organisations/import/", views.ImportView.as_view(), name="admin_import"),
    path(
        "administration/organisations/import/preview/",
        views.ImportPreviewView.as_view(),
        name="admin_import_preview",
    ),
    path(
        "administration/organisations/import/confirm/",
        views.confirm_import,
        name="admin_import_confirm",
    ),
    path(
        "administration/organisations/<slug:slug>/",
        views.OrganisationEditView.as_view(),
        name="admin_organisation",
    ),
    path(
        "administration/organisations/<slug:slug>/status/",
        views.OrganisationStatusView.as_view(),
        name="admin_organisation_status",
    ),
    path(
        "invitations/<str:token>/", views.AcceptInvitationView.as_view(), name="accept_invitation"
    ),
    path("organisations/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
    path("organisations/<slug:slug>/members/", views.MembersView.as_view(), name="members"),
    path("organisations/<slug:slug>/members/invite/", views.InviteView.as_view(), name="invite"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.RemoveMemberView.as_view(),
        name="remove_member",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
]
