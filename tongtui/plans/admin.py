from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tongtui.plans.models import Category, CoUnit, Indicator, Milestone, Plan, Task


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 1


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "status"]
    inlines = [CategoryInline]


class CoUnitInline(admin.TabularInline):
    model = CoUnit
    extra = 1
    autocomplete_fields = ["unit"]
    readonly_fields = ["acknowledged_at", "acknowledged_by"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "category", "lead_unit", "leader", "status", "due", "progress"]
    list_filter = ["plan", "status", "source", "category"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["lead_unit", "leader", "owner", "parent"]
    list_select_related = ["plan", "category", "lead_unit", "leader"]
    inlines = [CoUnitInline, MilestoneInline, IndicatorInline]
