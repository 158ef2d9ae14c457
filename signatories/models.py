import hashlib
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from signatories.enums import Nation, OrganisationKind, OrganisationStatus, Role
from techcommit.models import StatusChange


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without regard to case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person. People sign in with their e-mail address; there are no usernames.

    Sector roles live here: a steering group reviewer has ``is_reviewer``; an administrator is
    staff. Roles within an organisation are memberships.
    """

    email = models.EmailField(
        "e-mail address",
        max_length=254,
        unique=True,
        error_messages={"unique": "Someone already uses this e-mail address."},
    )
    full_name = models.CharField("full name", max_length=150)
    job_title = models.CharField("job title", max_length=150, blank=True)
    telephone = models.CharField("telephone number", max_length=40, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_staff = models.BooleanField(
        "administrator",
        default=False,
        help_text="Administrators manage signatories, deadlines and reviewers (Administration); "
        "form versions are changed in the Django admin, by superusers only.",
    )
    is_reviewer = models.BooleanField(
        "steering group reviewer",
        default=False,
        help_text="Steering group reviewers review submissions and track the sector's deadlines.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="unique_user_email_ci",
                violation_error_message="Someone already uses this e-mail address.",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_sector_staff(self) -> bool:
        return self.is_active and (self.is_staff or self.is_reviewer)

    @property
    def needs_two_factor(self) -> bool:
        """Administrators and reviewers see every organisation, so they must use two factors."""
        return self.is_sector_staff


# The words that are addresses of their own where an organisation's slug goes:
# /administration/organisations/add/ and .../import/. An organisation with one of them as its
# slug could not be reached there. tests/signatories/test_reserved_slugs.py checks this list
# against every URL that takes an organisation's slug.
RESERVED_SLUGS = frozenset({"add", "import"})


def validate_slug_not_reserved(value: str) -> None:
    if value.casefold() in RESERVED_SLUGS:
        words = " and ".join(f"‘{word}’" for word in sorted(RESERVED_SLUGS))
        raise ValidationError(
            f"‘{value}’ cannot be a slug: {words} are pages of the portal's administration. "
            "Choose another, for example one made from the organisation's name.",
            code="reserved",
        )


class Organisation(models.Model):
    """A signatory of the Technician Commitment (or a former one)."""

    name = models.CharField(
        max_length=200,
        unique=True,
        error_messages={"unique": "Another organisation already has this name."},
    )
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in the organisation's web addresses, for example northmoor.",
        validators=[validate_slug_not_reserved],
        error_messages={"unique": "Another organisation already uses this slug in its addresses."},
    )
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    nation = models.CharField(max_length=30, choices=Nation.choices)
    signed_on = models.DateField("date signed")
    # Changed only through services.transition, with a reason.
    status = models.CharField(
        max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.SIGNATORY
    )
    webpage = models.URLField(
        "Technician Commitment webpage",
        blank=True,
        help_text="The organisation's own public page about its commitment.",
    )
    contact_name = models.CharField("public point of contact", max_length=150, blank=True)
    contact_email = models.EmailField("point of contact's e-mail", blank=True)
    technical_staff_count = models.PositiveIntegerField(
        "approximate number of technical staff", null=True, blank=True
    )
    last_assessed_on = models.DateField(
        "most recent self-assessment submitted on",
        null=True,
        blank=True,
        help_text="For self-assessments made before the portal; leave empty if there were none.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_assessed_on__isnull=True)
                | Q(last_assessed_on__gte=models.F("signed_on")),
                name="assessed_after_signing",
                violation_error_message="A self-assessment cannot come before the date signed.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("signatories:dashboard", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class OrganisationStatusChange(StatusChange):
    """A change of an organisation's status (signatory, lapsed, withdrawn), with the reason:
    its history, shown on the dashboard and in the admin."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        pass

    @property
    def from_label(self) -> str:
        return OrganisationStatus(self.from_status).label

    @property
    def to_label(self) -> str:
        return OrganisationStatus(self.to_status).label


class DraftRead(models.Model):
    """An administrator outside the organisation read one of its drafts (work its members have
    not submitted yet): the organisation's audit trail of such reads, which its lead sees on the
    dashboard. Written by ``services.record_draft_read`` only."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="draft_reads"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=200)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.by}: {self.what}"


class Membership(models.Model):
    """A person's role in one organisation. One person may belong to several organisations."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_membership_per_person",
                violation_error_message="This person is already a member of the organisation.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


def hash_token(token: str) -> str:
    """Invitation links carry a random token; only its hash is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Inviting the same address again replaces the earlier invitation (services.invite).
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation} as {self.get_role_display()}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def expires_on(self) -> date:
        return timezone.localdate(self.expires_at)
