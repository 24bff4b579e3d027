import datetime as dt

from django import template
from django.utils.html import format_html

register = template.Library()

COLOURS = {"done": "govuk-tag--blue", "overdue": "govuk-tag--red",
           "due": "govuk-tag--yellow", "future": "govuk-tag--grey"}


@register.simple_tag
def timeline_status(row):
    """The row's status as a tag: the words carry the meaning, the colour only repeats it."""
    return format_html('<strong class="govuk-tag {}">{}</strong>', COLOURS[row.status],
                       row.status_label)


@register.inclusion_tag("timeline/_action_milestones.html", takes_context=True)
def action_milestones(context, action):
    """The milestones section of an action page: `{% load timeline %}{% action_milestones
    action %}`. Same as including the template with `milestones_for_action(action)`."""
    from lapis.timeline import access
    from lapis.timeline.queries import milestones_for_action

    user = context.get("user")
    return {"action": action, "milestones": milestones_for_action(action, as_of=dt.date.today()),
            "can_add_milestone": bool(user and access.can_add_for_action(user, action))}
