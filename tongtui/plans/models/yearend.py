"""年终评估: what became of each task of a plan year — closed (办结), carried over into the next year (结转), or
cancelled (撤销) — with the reason and who decided. A carried task's copy in the next year is `carried_to`;
the copy points back through `Task.carried_from`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.plans.models.tasks import Plan, Task


class Outcome(models.TextChoices):
    CLOSED = "closed", _("Closed")
    CARRIED_OVER = "carried_over", _("Carried over")
    CANCELLED = "cancelled", _("Cancelled")


NEEDS_REASON = (Outcome.CARRIED_OVER, Outcome.CANCELLED)


class TaskOutcome(RemembersLoaded, models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("plan"))
    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("task")
    )
    outcome = models.CharField(_("year-end outcome"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    carried_to = models.OneToOneField(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_outcome",
        verbose_name=_("carried over to"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "task__code_sort"]
        verbose_name = _("year-end outcome")
        verbose_name_plural = _("year-end outcomes")
        indexes = [models.Index(fields=["plan", "outcome"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.outcome}"

    def clean(self) -> None:
        if self.outcome in NEEDS_REASON and not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason.")})
        if self.task_id is not None and self.plan_id is not None and self.task.plan_id != self.plan_id:
            raise ValidationError({"task": _("The task belongs to another plan year.")})
