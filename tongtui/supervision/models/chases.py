"""督办通知 (formal chase notice): the office chases a unit in writing and the unit replies by a deadline
counted in working days. Numbered per year, 督办〔2026〕3号."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan, Task


class ChaseStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


OPEN_CHASE = (ChaseStatus.ISSUED, ChaseStatus.REPLIED)


class ChaseLevel(models.TextChoices):
    """三色督办单: blue when a deadline nears, yellow when behind schedule, red when overdue."""

    BLUE = "blue", _("Blue: deadline approaching")
    YELLOW = "yellow", _("Yellow: behind schedule")
    RED = "red", _("Red: overdue")


class ChaseNotice(RemembersLoaded, models.Model):
    """督办通知: what is chased (reports missing, a milestone overdue…) and why; the unit's written reply."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    tasks = models.ManyToManyField(Task, blank=True, related_name="+", verbose_name=_("tasks"))  # type: ignore[var-annotated]
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    seq = models.PositiveIntegerField(_("sequence number"), editable=False)
    level = models.CharField(_("level"), max_length=10, choices=ChaseLevel.choices, default=ChaseLevel.YELLOW)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    issued_on = models.DateField(_("issued on"))
    workdays = models.PositiveSmallIntegerField(_("working days to reply"), default=3)
    reply_due = models.DateField(_("reply due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ChaseStatus.choices, default=ChaseStatus.ISSUED
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    reissued_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reissues",
        verbose_name=_("reissue of"),
    )  # fmt: skip
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reply_due", "pk"]
        verbose_name = _("chase notice")
        verbose_name_plural = _("chase notices")
        indexes = [models.Index(fields=["status", "reply_due"]), models.Index(fields=["unit", "status"])]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="chasenotice_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject[:30]}"

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.seq}号"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHASE

    def is_overdue(self, today: Any = None) -> bool:
        return self.status == ChaseStatus.ISSUED and self.reply_due < (today or timezone.localdate())
