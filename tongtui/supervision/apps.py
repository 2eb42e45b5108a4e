from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "tongtui.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from tongtui.supervision import listeners, tasks  # noqa: F401  (listeners connect on import)

        tasks.register()
        from tongtui.supervision import tasks_orders

        tasks_orders.register()
        from tongtui.plans.ledger import provide_column
        from tongtui.supervision.ledger_columns import light_reasons, lights

        provide_column("亮灯", lights)
        provide_column("亮灯原因", light_reasons)
        from tongtui.dispatch.lights import provide_lights
        from tongtui.supervision.light_views import stored_lights

        provide_lights(stored_lights)
