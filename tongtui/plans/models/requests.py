"""Requests a unit makes about an assigned task, decided by the office: a change of lead unit
(申请调整牵头单位) or an extension (延期申请) of the task or one of its milestones."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Unit
from tongtui.plans.models.tasks import Milestone, Task


class RequestKind(models.TextChoices):
    LEAD = "lead", _("Change of lead unit")
    EXTENSION = "extension", _("Extension")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(RemembersLoaded, models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("task"))
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("milestone"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("requesting unit"))
    reason = models.TextField(_("reason"))
    proposed_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed lead unit"),
    )
    current_due = models.DateField(_("due date when asked"), null=True, blank=True)
    proposed_due = models.DateField(_("proposed due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["task", "status"])]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.get_kind_display()} · {self.get_status_display()}"

    def clean(self) -> None:
        errors = {}
        if self.kind == RequestKind.EXTENSION and self.proposed_due is None:
            errors["proposed_due"] = _("Give the date you ask for.")
        if self.milestone_id is not None and self.milestone and self.milestone.task_id != self.task_id:
            errors["milestone"] = _("The milestone belongs to another task.")
        if self.kind == RequestKind.LEAD and self.milestone_id is not None:
            errors["milestone"] = _("A change of lead unit concerns the whole task.")
        if errors:
            raise ValidationError(errors)
