from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from signatories import services, transfer
from signatories.enums import ALLOWED_TRANSITIONS, OrganisationStatus, Role
from signatories.models import Invitation, Membership, Organisation, User, normalise_email
from techcommit.spreadsheets import UploadForm


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="We send an invitation link to this address. It works once, for 7 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.CONTRIBUTOR)

    def __init__(self, *args, organisation, inviter, accept_url_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.inviter = inviter
        self.accept_url_for = accept_url_for
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send invitation"))

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def save(self) -> Invitation:
        try:
            return services.invite(
                self.organisation,
                self.cleaned_data["email"],
                self.cleaned_data["role"],
                by=self.inviter,
                accept_url_for=self.accept_url_for,
            )
        except ValidationError as exc:
            self.add_error(None, exc)
            raise


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("initial", {"role": membership.role})
        kwargs.setdefault("prefix", f"m{membership.pk}")
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["role"].label = f"Role of {membership.user}"

    def save(self) -> Membership:
        try:
            return services.change_role(self.membership, self.cleaned_data["role"])
        except ValidationError as exc:
            self.add_error(None, exc)
            raise


class AcceptInvitationForm(forms.Form):
    """A newcomer names themselves and chooses a password."""

    full_name = forms.CharField(label="Your full name", max_length=150)
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create account and join"))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        if p1:
            candidate = User(email=self.invitation.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self) -> Membership:
        return services.accept_invitation(
            self.invitation,
            full_name=self.cleaned_data["full_name"],
            job_title=self.cleaned_data["job_title"],
            password=self.cleaned_data["password1"],
        )


class OrganisationForm(forms.ModelForm):
    """An organisation's details, as administrators add and edit them. Its status is not here:
    it changes only with a reason (``StatusForm``)."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "nation",
            "signed_on",
            "webpage",
            "contact_name",
            "contact_email",
            "technical_staff_count",
            "last_assessed_on",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "last_assessed_on": forms.DateInput(attrs={"type": "date"}),
        }

    webpage = forms.URLField(
        label="Technician Commitment webpage",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="The organisation's own public page about its commitment.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", "Save changes" if self.instance.pk else "Add the organisation")
        )


class StatusForm(forms.Form):
    """A new status for an organisation, and why (kept in its history)."""

    to = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the organisation's status history, which its members see.",
    )

    def __init__(self, *args, organisation: Organisation, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.by = by
        self.fields["to"].choices = [
            (status, OrganisationStatus(status).label)
            for status in OrganisationStatus
            if status in ALLOWED_TRANSITIONS[OrganisationStatus(organisation.status)]
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Change the status"))

    def save(self) -> Organisation:
        try:
            return services.transition(
                self.organisation,
                to=self.cleaned_data["to"],
                by=self.by,
                comment=self.cleaned_data["reason"],
            )
        except services.StatusError as error:
            self.add_error(None, str(error))
            raise


class SignatoryUploadForm(UploadForm):
    label = "Signatory list"
    columns = "Name, Short name, Kind, Nation, Date signed, Contact, Web page"

    def inspect(self, table):
        self.preview = transfer.preview(table)


class ProfileForm(forms.ModelForm):
    """What a person keeps about themselves."""

    class Meta:
        model = User
        fields = ["full_name", "job_title", "telephone"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "telephone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter your full name.")
        return name
