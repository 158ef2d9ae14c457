from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from signatories import services
from signatories.enums import Role
from signatories.models import Invitation, Membership, User, normalise_email


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
