"""The mixin every organisation page of every app starts from (a module of its own, so that
other apps' views need not import this app's views)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.functional import cached_property

from signatories.enums import Role
from signatories.lookups import organisation_for
from signatories.models import Organisation
from signatories.rules import role_in
from techcommit.permissions import may


class OrganisationMixin(LoginRequiredMixin):
    """Pages of one organisation. People without ``permission`` get a 404: outsiders never
    learn whether an organisation's page exists."""

    permission = "signatories.view_organisation"

    @cached_property
    def organisation(self) -> Organisation:
        return organisation_for(self.request.user, self.kwargs["slug"], self.permission)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation  # noqa: B018 - 404 before anything else happens
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            organisation=self.organisation,
            my_role=Role(role) if (role := role_in(user, self.organisation)) else None,
            can_manage_members=user.has_perm("signatories.manage_members", self.organisation),
            can_view_members=user.has_perm("signatories.view_members", self.organisation),
            can_view_plans=user.has_perm("actionplans.view_plans", self.organisation),
            # From the rules alone, as the consultation pages decide: a superuser may not read
            # an organisation's consultations, so is not sent to a page that answers 404.
            can_view_consultations=may(user, "consultations.view_consultations", self.organisation),
            **kwargs,
        )


class SectorPermissionMixin(LoginRequiredMixin):
    """Pages of no one organisation, such as the portal's administration: a 404 for anyone
    signed in without ``permission`` (a permission without an object)."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.permission):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)
