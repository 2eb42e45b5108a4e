from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tongtui.notify.forms import masked
from tongtui.notify.models import Delivery, Event, Notification, Preference, Robot


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "event"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "key", "unit", "plan", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key", "title"]
    raw_id_fields = ["unit", "plan"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "target", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "recipient", "robot", "in_digest"]


@admin.register(Robot)
class RobotAdmin(SimpleHistoryAdmin):
    """The webhook address and secret are written here but shown back only by their last characters."""

    list_display = ["name", "platform", "unit", "plan", "active", "address"]
    list_filter = ["platform", "active"]
    raw_id_fields = ["unit", "plan"]

    @admin.display(description="webhook")
    def address(self, robot: Robot) -> str:
        return masked(robot.webhook)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        from django import forms

        form = super().get_form(request, obj, change=change, **kwargs)
        for name in ("webhook", "secret"):
            field = form.base_fields.get(name)
            if field is not None:
                field.widget = forms.PasswordInput(render_value=False)
                field.required = name == "webhook" and obj is None
                if obj is not None:
                    field.help_text = f"{masked(getattr(obj, name))} — leave empty to keep"
        return form

    def save_model(self, request: HttpRequest, obj: Robot, form: Any, change: bool) -> None:
        if change:
            stored = Robot.objects.get(pk=obj.pk)
            obj.webhook = obj.webhook or stored.webhook
            obj.secret = obj.secret or stored.secret
        super().save_model(request, obj, form, change)


@admin.register(Preference)
class PreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "email", "mode", "updated_at"]
    raw_id_fields = ["user"]
