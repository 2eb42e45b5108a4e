from django.contrib import admin

from tongtui.supervision import admin_orders  # noqa: F401  (registers the supervision records' pages)
from tongtui.supervision.models import LightPolicy


@admin.register(LightPolicy)
class LightPolicyAdmin(admin.ModelAdmin):
    list_display = ["plan", "behind_mode", "yellow_behind", "red_behind", "working_days", "updated_at"]
