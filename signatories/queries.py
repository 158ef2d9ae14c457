"""Which organisations and memberships a person may see, as querysets."""

from django.db.models import QuerySet

from signatories.models import Membership, Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_staff or user.is_reviewer:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user)


def memberships_of(user) -> QuerySet[Membership]:
    """The person's own memberships, for the organisation switcher."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return user.memberships.select_related("organisation").order_by("organisation__name")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by(
        "user__full_name", "user__email"
    )


SESSION_KEY = "current_organisation"


def memberships_for_request(request) -> list[Membership]:
    """The signed-in person's memberships, loaded once per request."""
    if not hasattr(request, "_memberships"):
        request._memberships = list(memberships_of(request.user))
    return request._memberships


def current_organisation(request) -> Organisation | None:
    """The organisation the person works in: the one they switched to, else their first."""
    memberships = memberships_for_request(request)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership.organisation
    return memberships[0].organisation if memberships else None
