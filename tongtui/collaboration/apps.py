from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "tongtui.collaboration"
    label = "collaboration"
    verbose_name = _("Instructions and coordination")

    def ready(self) -> None:
        from tongtui.collaboration import tasks

        tasks.register()
