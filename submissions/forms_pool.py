"""The reviewer pool, as administrators keep it in the portal."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from signatories.models import User, normalise_email
from submissions import services
from submissions.models import Reviewer


class ReviewerForm(forms.ModelForm):
    """Where a reviewer works (never reviewed by them), their training and the rounds they can
    take part in."""

    class Meta:
        model = Reviewer
        fields = ["organisation", "trained_on", "available_in", "active"]
        widgets = {
            "trained_on": forms.DateInput(attrs={"type": "date"}),
            "available_in": forms.CheckboxSelectMultiple,
        }
        help_texts = {"active": "Only active reviewers can be assigned."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["available_in"].label = "Available in the review rounds"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))


class AddReviewerForm(ReviewerForm):
    """A person with an account joins the pool, found by their e-mail address."""

    email = forms.EmailField(
        label="E-mail address",
        help_text="The address the person signs in with. They need an account first.",
    )

    class Meta(ReviewerForm.Meta):
        fields = ["email", *ReviewerForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.inputs[0].value = "Add to the pool"

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        self.user = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.user is None:
            raise ValidationError(
                f"No one signs in with {email}. Invite them to their organisation first, or "
                "check the address."
            )
        return email

    def save(self, commit=True) -> Reviewer:
        try:
            return services.add_to_pool(
                self.user,
                organisation=self.cleaned_data["organisation"],
                trained_on=self.cleaned_data["trained_on"],
                rounds=self.cleaned_data["available_in"],
                active=self.cleaned_data["active"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            raise
