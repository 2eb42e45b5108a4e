from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "tongtui.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from tongtui.assessment import listeners, tasks  # noqa: F401  (listeners connect on import)

        tasks.register()
