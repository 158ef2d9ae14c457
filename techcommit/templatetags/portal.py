"""Tags that need neither a request nor the database, for pages such as the error pages."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """The portal's name (settings.SITE_NAME), where no context processor has run."""
    return settings.SITE_NAME
