from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from signatories import dashboard, queries, services
from signatories.forms import AcceptInvitationForm, ChangeRoleForm, InviteForm
from signatories.lookups import organisation_for
from signatories.mixins import OrganisationMixin
from signatories.models import Invitation, Membership, User
from techcommit.mail import site_url

DRAFT_READS_SHOWN = 50


class DashboardView(OrganisationMixin, TemplateView):
    template_name = "signatories/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panels=dashboard.panels_for(self.request.user, self.organisation),
            status_changes=list(self.organisation.status_changes.order_by("-at", "-pk")),
            draft_reads=(
                list(self.organisation.draft_reads.select_related("by")[:DRAFT_READS_SHOWN])
                if self.request.user.has_perm("signatories.view_draft_reads", self.organisation)
                else None
            ),
            **kwargs,
        )


class MembersView(OrganisationMixin, TemplateView):
    template_name = "signatories/members.html"
    permission = "signatories.view_members"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(queries.members_of(self.organisation))
        if context["can_manage_members"]:
            forms = getattr(self, "role_forms", {})
            for member in members:
                member.role_form = forms.get(member.pk) or ChangeRoleForm(membership=member)
            context["invitations"] = (
                self.organisation.invitations.pending()
                .select_related("invited_by")
                .order_by("email")
            )
        context["members"] = members
        return context


class InviteView(OrganisationMixin, TemplateView):
    template_name = "signatories/invite.html"
    permission = "signatories.manage_members"

    def get_form(self):
        return InviteForm(
            self.request.POST or None,
            organisation=self.organisation,
            inviter=self.request.user,
            accept_url_for=site_url,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                invitation = form.save()
            except ValidationError:
                pass
            else:
                messages.success(
                    request,
                    f"Invitation sent to {invitation.email}. The link works once, until "
                    f"{invitation.expires_at:%d %B %Y}.",
                )
                return redirect("signatories:members", slug=self.organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


@login_required
@require_POST
def change_role(request, slug: str, pk: int):
    organisation = organisation_for(request.user, slug, "signatories.manage_members")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organisation=organisation
    )
    form = ChangeRoleForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            form.save()
        except ValidationError:
            pass
        else:
            messages.success(
                request, f"{membership.user} is now {membership.get_role_display().lower()}."
            )
            return redirect("signatories:members", slug=slug)
    view = MembersView(request=request, kwargs={"slug": slug})
    view.role_forms = {membership.pk: form}
    return view.render_to_response(view.get_context_data(role_error_for=membership.pk))


class RemoveMemberView(OrganisationMixin, TemplateView):
    template_name = "signatories/member_remove.html"
    permission = "signatories.manage_members"

    @cached_property
    def membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user"),
            pk=self.kwargs["pk"],
            organisation=self.organisation,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.remove_member(self.membership)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        messages.success(request, f"{self.membership.user} is no longer a member.")
        if self.membership.user_id == request.user.pk:
            return redirect("home")
        return redirect("signatories:members", slug=self.organisation.slug)


@login_required
@require_POST
def revoke_invitation(request, slug: str, pk: int):
    organisation = organisation_for(request.user, slug, "signatories.manage_members")
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    services.revoke_invitation(invitation)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("signatories:members", slug=slug)


class AcceptInvitationView(View):
    """Where an invitation link lands. GET only reads; joining is a POST."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = services.find_invitation(kwargs["token"])
        except services.InvitationProblem as problem:
            return render(
                request,
                "signatories/invitation_problem.html",
                {"problem": problem.reason, "invitation": problem.invitation},
                status=410 if problem.invitation else 404,
            )
        return super().dispatch(request, *args, **kwargs)

    def existing_account(self) -> bool:
        return User.objects.filter(email__iexact=self.invitation.email).exists()

    def render_page(self, form=None, status=200):
        user = self.request.user
        context = {
            "invitation": self.invitation,
            "form": form,
            "has_account": self.existing_account(),
            "signed_in_as_invitee": user.is_authenticated
            and user.email.lower() == self.invitation.email,
        }
        if form is None and not context["has_account"] and not user.is_authenticated:
            context["form"] = AcceptInvitationForm(invitation=self.invitation)
        return render(self.request, "signatories/invitation_accept.html", context, status=status)

    def get(self, request, token):
        return self.render_page()

    def post(self, request, token):
        user = request.user
        try:
            if user.is_authenticated:
                membership = services.accept_invitation(self.invitation, user=user)
            elif self.existing_account():
                return redirect_to_login(request.get_full_path())
            else:
                form = AcceptInvitationForm(request.POST, invitation=self.invitation)
                if not form.is_valid():
                    return self.render_page(form)
                membership = form.save()
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except services.InvitationProblem as problem:
            return render(
                request,
                "signatories/invitation_problem.html",
                {"problem": problem.reason, "invitation": problem.invitation},
                status=409,
            )
        services.switch_organisation(request, membership.organisation)
        messages.success(
            request,
            f"Welcome to {membership.organisation.name}. You have joined as "
            f"{membership.get_role_display().lower()}.",
        )
        return redirect(membership.organisation)


@login_required
@require_POST
def switch_organisation(request):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"),
        user=request.user,
        organisation__slug=request.POST.get("organisation", ""),
    )
    services.switch_organisation(request, membership.organisation)
    return redirect(membership.organisation)
