from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongtui.core"
    label = "core"

    def ready(self) -> None:
        from tongtui.core import checks  # noqa: F401  (registers the deployment checks)
