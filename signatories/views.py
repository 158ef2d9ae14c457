from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from assessments.enums import AssessmentStatus
from assessments.models import SelfAssessment
from assessments.services import due_date_for, due_dates_for
from signatories import queries, services
from signatories.enums import Role
from signatories.forms import AcceptInvitationForm, ChangeRoleForm, InviteForm
from signatories.models import Invitation, Membership, Organisation, User
from signatories.rules import role_in
from submissions.models import Snapshot


class OrganisationMixin(LoginRequiredMixin):
    """Pages of one organisation. People without ``permission`` get a 404: outsiders never
    learn whether an organisation's page exists."""

    permission = "signatories.view_organisation"

    @cached_property
    def organisation(self) -> Organisation:
        organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        if not self.request.user.has_perm(self.permission, organisation):
            raise Http404("No organisation here.")
        return organisation

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
            **kwargs,
        )


def organisation_for(request, slug: str, permission: str) -> Organisation:
    """The organisation behind a POST action, or 404 for anyone without ``permission``."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(permission, organisation):
        raise Http404("No organisation here.")
    return organisation


class DashboardView(OrganisationMixin, TemplateView):
    template_name = "signatories/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(due=due_date_for(self.organisation), **kwargs)


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
            accept_url_for=self.request.build_absolute_uri,
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
    organisation = organisation_for(request, slug, "signatories.manage_members")
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
    organisation = organisation_for(request, slug, "signatories.manage_members")
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


class SectorOverviewView(LoginRequiredMixin, TemplateView):
    """Every signatory with its next due date, overdue first."""

    template_name = "signatories/sector_overview.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "signatories.view_sector_overview"
        ):
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The latest self-assessment (its status and due date) and its latest submitted
        # revision, as subqueries of the one query for the organisations.
        latest = SelfAssessment.objects.filter(organisation=OuterRef("pk")).order_by(
            "-due_on", "-created_at", "-pk"
        )
        submitted = Snapshot.objects.filter(
            assessment_id=OuterRef("latest_assessment_id"), submitted_at__isnull=False
        ).order_by("-revision")
        organisations = list(
            queries.organisations_visible_to(self.request.user)
            .annotate(
                latest_assessment_id=Subquery(latest.values("pk")[:1]),
                latest_status=Subquery(latest.values("status")[:1]),
                latest_due_on=Subquery(latest.values("due_on")[:1]),
            )
            .annotate(submitted_revision=Subquery(submitted.values("revision")[:1]))
        )
        for org in organisations:
            org.assessment_state = (
                AssessmentStatus(org.latest_status).label if org.latest_status else "Not started"
            )
        dues = due_dates_for(organisations)
        rows = [(org, dues[org.pk]) for org in organisations]
        rows.sort(key=lambda row: (row[1] is None, row[1].due_on if row[1] else None, row[0].name))
        return super().get_context_data(rows=rows, **kwargs)
