from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "lapis.risks"
    verbose_name = "Risk register"

    def ready(self):
        from lapis.plans import panels
        from lapis.risks.queries import risks_for_action

        panels.add_action_panel("after_change_requests", "risks", lambda action, user: {
            "template": "risks/_action_risks.html",
            "context": {"action_risks": risks_for_action(action, user)}})
