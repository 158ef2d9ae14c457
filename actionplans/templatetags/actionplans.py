from django import template

from actionplans.models import status_shape

register = template.Library()


@register.filter(name="status_shape")
def status_shape_filter(status: str) -> str:
    return status_shape(status)


@register.filter
def status_label(wording: dict, status: str) -> str:
    """The plan's own word for a status."""
    found = wording.get(status) if wording else None
    return found.label if found else status


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
