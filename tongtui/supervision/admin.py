from typing import Any

from django.contrib import admin

from tongtui.supervision import admin_orders  # noqa: F401  (registers the supervision records' pages)
from tongtui.supervision.models import LightPolicy, TaskLight


@admin.register(LightPolicy)
class LightPolicyAdmin(admin.ModelAdmin):
    list_display = ["plan", "behind_mode", "yellow_behind", "red_behind", "working_days", "updated_at"]


@admin.register(TaskLight)
class TaskLightAdmin(admin.ModelAdmin):
    """Derived data (rebuilt by `tongtui lights --plan YEAR`): shown, never edited."""

    list_display = ["task", "light", "actual_progress", "planned_progress", "forecast_finish", "as_of"]
    list_filter = ["light", "task__plan"]
    search_fields = ["task__code", "task__title"]
    list_select_related = ["task"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
