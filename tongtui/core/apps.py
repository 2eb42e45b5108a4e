from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongtui.core"
    label = "core"

    def ready(self) -> None:
        from tongtui.core import checks  # noqa: F401  (registers the deployment checks)
        from tongtui.core.history import keep_history_managers

        keep_history_managers()
