"""Stored traffic lights (红黄绿灯): each task's current light, its daily history, and each plan's thresholds.

Everything here is derived data: `supervision.recompute` can rebuild it from scratch at any time.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.plans.models import Plan, Task
from tongtui.supervision.signals.lights import LightRules


class LightState(models.TextChoices):
    GREEN = "green", _("Green: on track")
    YELLOW = "yellow", _("Yellow: at risk")
    RED = "red", _("Red: off track")
    BLUE = "blue", _("Blue: closed")
    GREY = "grey", _("Grey: not started")


class BehindMode(models.TextChoices):
    POINTS = "points", _("Percentage points behind plan")
    RATIO = "ratio", _("Share of planned progress")


class PlannedBasis(models.TextChoices):
    TRAJECTORY = "trajectory", _("Milestone trajectory")
    ELAPSED_TIME = "elapsed_time", _("Share of time elapsed")


class LightPolicy(RemembersLoaded, models.Model):
    """A plan's thresholds for its lights (offices differ); maps one to one onto `signals.lights.LightRules`."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="light_policy", verbose_name=_("plan")
    )
    behind_mode = models.CharField(
        _("behind plan measured as"), max_length=12, choices=BehindMode.choices, default=BehindMode.POINTS
    )
    yellow_behind = models.FloatField(
        _("yellow from (behind plan)"), default=10.0, validators=[MinValueValidator(0)]
    )
    yellow_inclusive = models.BooleanField(_("yellow bound inclusive"), default=True)
    red_behind = models.FloatField(
        _("red beyond (behind plan)"), default=30.0, validators=[MinValueValidator(0)]
    )
    red_inclusive = models.BooleanField(_("red bound inclusive"), default=False)
    planned_basis = models.CharField(
        _("planned progress from"),
        max_length=12,
        choices=PlannedBasis.choices,
        default=PlannedBasis.TRAJECTORY,
    )
    working_days = models.BooleanField(_("count working days"), default=True)
    milestone_overdue_red_days = models.PositiveIntegerField(
        _("grace days for an overdue milestone"), default=0
    )
    task_overdue_red_days = models.PositiveIntegerField(_("grace days for an overdue task"), default=0)
    milestone_soon_days = models.PositiveIntegerField(_("milestone due soon within (days)"), default=10)
    forecast_slip_yellow_days = models.PositiveIntegerField(
        _("forecast slip tolerance, yellow (days)"), default=10
    )
    forecast_slip_red_days = models.PositiveIntegerField(_("forecast slip tolerance, red (days)"), default=30)
    forecast_min_elapsed_share = models.FloatField(
        _("forecast used after this share of the time"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    missed_cycles_yellow = models.PositiveIntegerField(_("missed reports for yellow"), default=1)
    missed_cycles_red = models.PositiveIntegerField(_("missed reports for red"), default=2)
    escalation_yellow_days = models.PositiveIntegerField(
        _("escalated problem unanswered for (days)"), default=3
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()  # who changed a threshold, when and why

    class Meta:
        verbose_name = _("light policy")
        verbose_name_plural = _("light policies")

    def __str__(self) -> str:
        return f"{self.plan}"

    def clean(self) -> None:
        errors = {}
        if self.red_behind < self.yellow_behind:
            errors["red_behind"] = _("Red must start at or beyond where yellow starts.")
        if self.behind_mode == BehindMode.RATIO and self.red_behind > 1:
            errors["red_behind"] = _(
                "As a share of planned progress, give a number from 0 to 1 (0.5 for 50 %)."
            )
        if self.missed_cycles_red < self.missed_cycles_yellow:
            errors["missed_cycles_red"] = _("Red must need at least as many missed reports as yellow.")
        if self.forecast_slip_red_days < self.forecast_slip_yellow_days:
            errors["forecast_slip_red_days"] = _("The red tolerance must be at least the yellow one.")
        if errors:
            raise ValidationError(errors)

    def rules(self) -> LightRules:
        return LightRules(
            behind_mode="ratio" if self.behind_mode == BehindMode.RATIO else "points",
            yellow_behind=self.yellow_behind,
            yellow_inclusive=self.yellow_inclusive,
            red_behind=self.red_behind,
            red_inclusive=self.red_inclusive,
            planned_basis="elapsed_time" if self.planned_basis == PlannedBasis.ELAPSED_TIME else "trajectory",
            milestone_overdue_red_days=self.milestone_overdue_red_days,
            task_overdue_red_days=self.task_overdue_red_days,
            milestone_soon_days=self.milestone_soon_days,
            forecast_slip_yellow_days=self.forecast_slip_yellow_days,
            forecast_slip_red_days=self.forecast_slip_red_days,
            forecast_min_elapsed_share=self.forecast_min_elapsed_share,
            missed_cycles_yellow=self.missed_cycles_yellow,
            missed_cycles_red=self.missed_cycles_red,
            escalation_yellow_days=self.escalation_yellow_days,
        )


class TaskLight(models.Model):
    """A task's current light with the reasons that made it, and its forecast."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="light_state", verbose_name=_("task")
    )
    light = models.CharField(_("light"), max_length=8, choices=LightState.choices, db_index=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    forecast_finish = models.DateField(_("forecast finish"), null=True, blank=True)
    forecast_slip = models.IntegerField(_("forecast slip (days)"), null=True, blank=True)
    spi = models.FloatField(_("SPI(t)"), null=True, blank=True)
    planned_progress = models.FloatField(_("planned progress"), null=True, blank=True)
    actual_progress = models.FloatField(_("actual progress"), null=True, blank=True)
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("task light")
        verbose_name_plural = _("task lights")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.light}"


class LightHistory(models.Model):
    """A task's light on one day: one row per task per day, the last computation of the day wins."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="light_history", verbose_name=_("task")
    )
    date = models.DateField(_("date"))
    light = models.CharField(_("light"), max_length=8, choices=LightState.choices)

    class Meta:
        verbose_name = _("light history")
        verbose_name_plural = _("light history")
        constraints = [
            models.UniqueConstraint(fields=["task", "date"], name="supervision_light_history_task_date")
        ]
        ordering = ["task", "date"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.date}: {self.light}"
