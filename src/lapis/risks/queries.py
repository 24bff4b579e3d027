"""Read-side helpers other apps call."""

from lapis.risks.models import Risk


def risks_for_action(action, user=None):
    """The risks an action mitigates, for the action page: with a user, only what they may see.
    Render with {% include "risks/_action_risks.html" with action_risks=... %}."""
    risks = Risk.objects.filter(actions=action).select_related("owner").order_by("code_key")
    if user is not None:
        risks = risks.filter(pk__in=Risk.objects.visible_to(user).values("pk"))
    return list(risks)
