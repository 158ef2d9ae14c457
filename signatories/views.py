from copy import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, UpdateView

from signatories import dashboard, queries, services, transfer
from signatories.enums import Role
from signatories.forms import (
    AcceptInvitationForm,
    ChangeRoleForm,
    InviteForm,
    OrganisationForm,
    ProfileForm,
    SignatoryUploadForm,
    StatusForm,
)
from signatories.lookups import organisation_for
from signatories.mixins import OrganisationMixin, SectorPermissionMixin
from signatories.models import Invitation, Membership, Organisation, User
from techcommit.mail import site_url
from techcommit.spreadsheets import ImportRefused

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
        # "?role=lead" from the administration's "Invite a lead" chooses the role.
        role = self.request.GET.get("role")
        return InviteForm(
            self.request.POST or None,
            organisation=self.organisation,
            inviter=self.request.user,
            accept_url_for=site_url,
            initial={"role": role} if role in Role.values else None,
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


# --- The portal's administration ---------------------------------------------------------------

ADMINISTER = "signatories.administer_organisations"
IMPORT_SESSION_KEY = "signatories.import"


class AdministratorMixin(SectorPermissionMixin):
    """Pages of the portal's administration of organisations."""

    permission = ADMINISTER


class OrganisationListView(AdministratorMixin, TemplateView):
    template_name = "signatories/admin/organisation_list.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        organisations = Organisation.objects.all()
        if query:
            organisations = organisations.filter(
                Q(name__icontains=query) | Q(short_name__icontains=query) | Q(slug__icontains=query)
            )
        return super().get_context_data(organisations=list(organisations), query=query, **kwargs)


class OrganisationAddView(AdministratorMixin, TemplateView):
    template_name = "signatories/admin/organisation_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", OrganisationForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = OrganisationForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        organisation = form.save()
        messages.success(request, f"{organisation.name} has been added. Invite its lead next.")
        return redirect("signatories:admin_organisation", slug=organisation.slug)


class OrganisationEditView(AdministratorMixin, UpdateView):
    """An organisation's details, its status history and its people, for administrators."""

    template_name = "signatories/admin/organisation_form.html"
    form_class = OrganisationForm
    slug_url_kwarg = "slug"
    queryset = Organisation.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            status_changes=list(
                self.object.status_changes.select_related("by").order_by("-at", "-pk")
            ),
            leads=list(
                queries.members_of(self.object)
                .filter(role=Role.LEAD)
                .values_list("user__full_name", flat=True)
            ),
            **kwargs,
        )

    def get_form_kwargs(self):
        # The form validates a copy: the page's heading and links keep the saved name and slug
        # while what was typed is corrected.
        return {**super().get_form_kwargs(), "instance": copy(self.object)}

    def form_valid(self, form):
        organisation = form.save()
        messages.success(self.request, f"The details of {organisation.name} have been saved.")
        return redirect("signatories:admin_organisation", slug=organisation.slug)


class OrganisationStatusView(AdministratorMixin, TemplateView):
    template_name = "signatories/admin/organisation_status.html"

    @cached_property
    def organisation(self) -> Organisation:
        return get_object_or_404(Organisation, slug=self.kwargs["slug"])

    def get_form(self) -> StatusForm:
        return StatusForm(
            self.request.POST or None, organisation=self.organisation, by=self.request.user
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            organisation=self.organisation,
            status_changes=list(
                self.organisation.status_changes.select_related("by").order_by("-at", "-pk")
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                organisation = form.save()
            except services.StatusError:
                pass
            else:
                messages.success(
                    request,
                    f"{organisation.name} is now {organisation.get_status_display().lower()}.",
                )
                return redirect("signatories:admin_organisation", slug=organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ImportView(AdministratorMixin, TemplateView):
    """Upload the signatory list; the next page shows what importing it would do."""

    template_name = "signatories/admin/import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SignatoryUploadForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = SignatoryUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        request.session[IMPORT_SESSION_KEY] = {
            "name": form.cleaned_data["file"].name,
            "table": form.table,
        }
        return redirect("signatories:admin_import_preview")


def _render_import_preview(request, stored: dict, refusal: str = "", status: int = 200):
    try:
        preview = transfer.preview(stored["table"])
    except ImportRefused as refused:
        preview, refusal = None, str(refused)
    summary = [refusal] if refusal else []
    if preview and preview.problems:
        count = len(preview.problems)
        summary.append(
            f"{count} row{'s' if count != 1 else ''} cannot be imported; the table says why. "
            "Correct the file and upload it again."
        )
    return render(
        request,
        "signatories/admin/import_preview.html",
        {
            "file_name": stored["name"],
            "preview": preview,
            "summary": summary,
            "labels": transfer.LABELS,
        },
        status=status,
    )


class ImportPreviewView(AdministratorMixin, View):
    """GET only: what importing the uploaded list would do, row by row. Nothing is saved."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        stored = request.session.get(IMPORT_SESSION_KEY)
        if stored is None:
            messages.info(request, "Upload the signatory list to import first.")
            return redirect("signatories:admin_import")
        return _render_import_preview(request, stored)


@login_required
@require_POST
def confirm_import(request):
    if not request.user.has_perm(ADMINISTER):
        raise Http404("Not here.")
    stored = request.session.get(IMPORT_SESSION_KEY)
    if stored is None:
        messages.info(request, "Upload the signatory list to import first.")
        return redirect("signatories:admin_import")
    try:
        result = transfer.apply(stored["table"])
    except ImportRefused as refused:
        return _render_import_preview(request, stored, refusal=str(refused), status=400)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        f"Imported ‘{stored['name']}’: {result.new} new, {result.updated} updated, "
        f"{result.unchanged} unchanged.",
    )
    return redirect("signatories:admin_organisations")


class ProfileView(LoginRequiredMixin, UpdateView):
    """A person's own name, job title and telephone number."""

    template_name = "signatories/profile.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "Your details have been saved.")
        return redirect("signatories:profile")
