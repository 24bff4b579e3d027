from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "lapis.scorecard"
    verbose_name = "Scorecard"

    def ready(self):
        from lapis.plans import panels

        panels.add_action_panel("after_progress", "measures", _measures, order=10)
        panels.add_challenge(_behind_trajectory)


def _measures(action, user) -> dict:
    """The action page's impact measures, against their trajectories."""
    from lapis.scorecard import benefits

    measures = benefits.evidence([action], user=user, partnership=action.plan.partnership)
    return {"template": "scorecard/_action_measures.html",
            "context": {"measures": measures.get(action.pk, [])}}


def _behind_trajectory(actions, *, user, partnership) -> dict:
    """For the register: actions rated on track whose measure is behind its trajectory."""
    from lapis.scorecard import benefits

    evidence = benefits.evidence(actions, user=user, partnership=partnership)
    return {pk: found for pk, measures in evidence.items()
            if (found := [m for m in measures if m.disagrees])}
