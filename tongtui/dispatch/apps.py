from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "tongtui.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self) -> None:
        from tongtui.dispatch import ledger_columns
        from tongtui.plans.ledger import provide_column

        provide_column("存在问题", ledger_columns.problems)
        provide_column("下步计划", ledger_columns.next_steps)
