from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.dispatch.schedule import period_label
from tongtui.orgs.models import Unit
from tongtui.plans.models import PERCENT, Indicator, Milestone, Task


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED_OFF = "signed_off", _("Signed off")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
FILED = (ReportStatus.SUBMITTED, ReportStatus.SIGNED_OFF, ReportStatus.ACCEPTED)


class ProgressReport(RemembersLoaded, models.Model):
    """进展情况: the lead unit's report on a task for one period; co-units add their part as contributions."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due = models.DateField(_("due"), null=True, blank=True)
    progress = models.DecimalField(
        _("progress"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Visible progress of the whole task, 0–100 %."),
    )
    done = models.TextField(_("done this period"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How sure the unit is to finish on time: 1 (not at all) to 5 (certain)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    late_workdays = models.PositiveIntegerField(_("working days late"), default=0)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.TextField(_("review note"), blank=True)
    imported = models.BooleanField(_("imported"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["task", "-period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period_start", "period_end"], name="progressreport_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="progressreport_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["task", "period_end"]),
            # the office's review queue, oldest sign-off first: its first page without sorting every waiting report
            models.Index(
                fields=["signed_off_at", "id"], condition=Q(status="signed_off"), name="report_review_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ReportContribution(RemembersLoaded, models.Model):
    """A co-unit's part of the lead unit's report (配合单位的进展), attributed to that unit."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("report"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("co-unit"))
    text = models.TextField(_("what the co-unit did"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["report_id", "unit__order", "unit__name"]
        verbose_name = _("co-unit contribution")
        verbose_name_plural = _("co-unit contributions")
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="contribution_unique_unit")]

    def __str__(self) -> str:
        return f"{self.report} · {self.unit}"


class ReportIndicatorValue(RemembersLoaded, models.Model):
    """An indicator's actual value, as of the report's period end, submitted with the report."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("report"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "indicator_id"]
        verbose_name = _("reported indicator value")
        verbose_name_plural = _("reported indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="reportvalue_unique_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class MilestoneClaim(RemembersLoaded, models.Model):
    """The unit says, in this report, that a milestone is done; the office's acceptance makes it so."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="milestone_claims",
        verbose_name=_("report"),
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="claims", verbose_name=_("milestone")
    )
    done_on = models.DateField(_("done on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "milestone__due"]
        verbose_name = _("milestone claimed done")
        verbose_name_plural = _("milestones claimed done")
        constraints = [models.UniqueConstraint(fields=["report", "milestone"], name="milestoneclaim_unique")]

    def __str__(self) -> str:
        return f"{self.report} · {self.milestone}"
