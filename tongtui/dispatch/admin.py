"""Admin: cycles and policies are editable; reports are read-only here (they change only through actions)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tongtui.dispatch.models import (
    Attachment,
    Meeting,
    PeriodicJob,
    Problem,
    ProgressReport,
    Reminder,
    ReminderPolicy,
    ReportContribution,
    ReportCycle,
)


@admin.register(ReportCycle)
class ReportCycleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "category", "task", "frequency", "due_kind", "day_of_month", "weekday"]
    list_filter = ["plan", "frequency"]
    autocomplete_fields = ["task"]


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "plan",
        "days_before",
        "on_the_day",
        "after_every",
        "escalate_to_head_after",
        "escalate_to_leader_after",
        "max_per_period",
        "by_email",
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContributionInline(ReadOnlyInline):
    model = ReportContribution


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "kind", "size", "sha256", "unit", "uploaded_by", "uploaded_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "task",
        "unit",
        "period_start",
        "period_end",
        "status",
        "progress",
        "late_workdays",
        "imported",
    ]
    list_filter = ["status", "imported", "task__plan"]
    search_fields = ["task__code", "task__title", "unit__name"]
    list_select_related = ["task", "unit"]
    inlines = [ContributionInline, AttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["task", "period_start", "recipient", "kind", "seq", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["task", "recipient"]
    search_fields = ["task__code", "recipient__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "next_run_at", "last_claimed_at"]


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Problems and meetings change only through their actions; the admin shows them and their history."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "task", "unit", "addressed_to", "answer_by", "status", "escalated_at"]
    list_filter = ["status", "addressed_to"]
    list_select_related = ["task", "unit"]
    search_fields = ["title", "task__code"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "title", "chair", "scope", "status", "pack_generated_at"]
    list_filter = ["status", "scope"]
    list_select_related = ["chair"]
