"""Object permissions in templates, for a link the person may or may not be able to follow:
``{% may "assessments.view_assessment" assessment as can_open %}``. The rules read the
person's roles once per request, so a page asks as often as it likes for no extra query."""

from django import template

from techcommit.permissions import may as may_do

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, permission: str, obj) -> bool:
    return may_do(context["request"].user, permission, obj)
