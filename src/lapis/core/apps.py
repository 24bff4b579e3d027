from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lapis.core"
    # The history tables were created by the former audit app: keeping its label keeps
    # the tables (`audit_changerecord`), the migration history and `audit.ChangeRecord` valid.
    label = "audit"
    verbose_name = "History"
