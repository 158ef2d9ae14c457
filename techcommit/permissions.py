"""Object permissions as every app checks them."""

import rules


def may(user, permission: str, obj) -> bool:
    """Object permissions from the rules alone: being a superuser opens the Django admin, not
    every organisation's drafts."""
    return rules.has_perm(permission, user, obj)
