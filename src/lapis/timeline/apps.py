from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "lapis.timeline"
    verbose_name = "Milestones and timeline"

    def ready(self):
        from lapis.plans import panels

        panels.add_action_panel("after_progress", "milestones", _milestones, order=20)


def _milestones(action, user) -> dict:
    """The milestones section of an action page (as `{% action_milestones action %}`)."""
    import datetime as dt

    from lapis.timeline import access
    from lapis.timeline.queries import milestones_for_action

    return {"template": "timeline/_action_milestones.html", "context": {
        "milestones": milestones_for_action(action, as_of=dt.date.today()),
        "can_add_milestone": bool(user and access.can_add_for_action(user, action))}}
