from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.dispatch.models.reports import ProgressReport
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Task


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


class AddressedTo(models.TextChoices):
    LEADER = "leader", _("The responsible leader")
    OFFICE = "office", _("The supervision office")
    UNIT = "unit", _("Another unit")


class Problem(RemembersLoaded, models.Model):
    """问题/困难: a blocker on a task that needs a leader, the office or another unit, with a requested date."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="problems", verbose_name=_("task"))
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_problems",
        verbose_name=_("raised in report"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by unit")
    )
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    addressed_to = models.CharField(_("addressed to"), max_length=10, choices=AddressedTo.choices)
    addressed_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("addressed unit"),
    )
    addressed_leader = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("addressed leader"),
    )
    answer_by = models.DateField(_("answer requested by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["status", "answer_by"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["addressed_unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def addressee_label(self) -> str:
        if self.addressed_to == AddressedTo.UNIT and self.addressed_unit is not None:
            return self.addressed_unit.label
        if self.addressed_to == AddressedTo.LEADER and self.addressed_leader is not None:
            return str(self.addressed_leader)
        return str(self.get_addressed_to_display())

    def clean(self) -> None:
        if self.addressed_to == AddressedTo.UNIT and self.addressed_unit_id is None:
            raise ValidationError({"addressed_unit": _("Choose the unit the problem is addressed to.")})
        if self.addressed_to == AddressedTo.LEADER and self.addressed_leader_id is None:
            raise ValidationError({"addressed_leader": _("The task has no responsible leader to address.")})
        if self.addressed_to == AddressedTo.UNIT and self.addressed_unit_id == self.unit_id:
            raise ValidationError({"addressed_unit": _("Address the problem to another unit than yours.")})
        if self.report_id is not None and self.report is not None and self.report.task_id != self.task_id:
            raise ValidationError({"report": _("The report is about another task.")})


class ProblemAnswer(RemembersLoaded, models.Model):
    """An answer to a problem, with who gave it and when. Answers are kept; a new one does not replace them."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="answers", verbose_name=_("problem")
    )
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["problem", "answered_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:50]
