"""Admin pages of the supervision records, read-mostly: changes belong in the actions (history, notices)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tongtui.supervision.models import (
    Accountability,
    Admonition,
    ChaseNotice,
    IntegrityFlag,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    list_display = ["unit", "task", "issued_on", "deadline", "status", "extensions"]
    list_filter = ["status", "plan"]
    search_fields = ["problem", "unit__name"]


@admin.register(ChaseNotice)
class ChaseNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "subject", "issued_on", "reply_due", "status"]
    list_filter = ["status", "plan"]
    search_fields = ["subject", "unit__name"]


@admin.register(Admonition)
class AdmonitionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "scheduled_for", "talked_by", "talked_with", "status"]
    list_filter = ["status", "plan"]


@admin.register(Accountability)
class AccountabilityAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "decided_by", "decided_on", "published_to_unit"]
    list_filter = ["kind", "published_to_unit"]


@admin.register(IntegrityFlag)
class IntegrityFlagAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "unit", "period", "strength", "status"]
    list_filter = ["kind", "status", "plan"]
    readonly_fields = [f.name for f in IntegrityFlag._meta.fields if f.name not in ("status", "note")]


class SpotCheckItemInline(admin.TabularInline):
    model = SpotCheckItem
    extra = 0
    can_delete = False
    readonly_fields = ["task", "rank", "weight", "risk", "key", "result", "checked_on", "order"]
    fields = ["task", "rank", "weight", "risk", "key", "result", "checked_on", "order"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "seed", "size", "population_size", "drawn_at"]
    inlines = [SpotCheckItemInline]
