"""Who may add and change milestones, in terms of `lapis.partnership.permissions` only.

- Editors of the partnership (administrators, programme managers) add and change any
  milestone of its plans, of an action or of a whole priority.
- A lead of an action (its SRO or an improvement lead) adds and changes the milestones of that
  action, and cannot move one to another action or to a priority.
"""

from lapis.partnership import permissions


def can_edit_plan(user, plan) -> bool:
    return permissions.can_edit(user, plan.partnership_id)


def can_add_for_action(user, action) -> bool:
    return permissions.can_update_action(user, action)


def can_change(user, milestone) -> bool:
    if permissions.can_edit(user, milestone.plan.partnership_id):
        return True
    return milestone.action is not None and permissions.can_update_action(user, milestone.action)
