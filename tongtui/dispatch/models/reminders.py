from django.db import models
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Person
from tongtui.plans.models import Task


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    ON_DAY = "on_day", _("On the day")
    AFTER = "after", _("After the deadline")
    ESCALATED_HEAD = "escalated_head", _("Escalated to the unit head")
    ESCALATED_LEADER = "escalated_leader", _("Escalated to the leader in charge")
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement due")


class Reminder(models.Model):
    """催办: one reminder to one person about one task's report for one period. Never sent twice."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("task"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due = models.DateField(_("due"))
    recipient = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    seq = models.PositiveSmallIntegerField(_("round"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)  # its e-mail is a notify Delivery

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period_start", "period_end", "recipient", "kind", "seq"],
                name="reminder_once",
            ),
        ]
        indexes = [models.Index(fields=["task", "period_start"])]

    def __str__(self) -> str:
        return f"{self.task.code} {self.period_start:%Y-%m-%d} → {self.recipient} ({self.get_kind_display()})"


class PeriodicJob(models.Model):
    """When a periodic job runs next. Workers claim a run with a conditional UPDATE, so only one runs it; the
    claim is a lease that becomes the next period only once the run has succeeded."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_claimed_at = models.DateTimeField(_("last claimed at"), null=True, blank=True)
    # The queued run of the last claim, until it ends; while it has not, `next_run_at` is only a lease, so a
    # worker killed in the middle leaves the run to be claimed again instead of lost until the next period.
    result_id = models.CharField(_("queued run"), max_length=64, blank=True, default="")
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
