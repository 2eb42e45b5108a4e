from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.dispatch import schedule
from tongtui.dispatch.schedule import DueRule
from tongtui.plans.models import Category, Plan, Task


class Frequency(models.TextChoices):
    WEEKLY = schedule.WEEKLY, _("Weekly")
    SEMIMONTHLY = schedule.SEMIMONTHLY, _("Semi-monthly")
    MONTHLY = schedule.MONTHLY, _("Monthly")
    QUARTERLY = schedule.QUARTERLY, _("Quarterly")


class DueKind(models.TextChoices):
    DAY_OF_MONTH = schedule.DAY_OF_MONTH, _("Day of the month")
    WEEKDAY = schedule.WEEKDAY, _("Day of the week")
    BEFORE_END = schedule.BEFORE_END, _("Working days before the period ends")


class Shift(models.TextChoices):
    PREVIOUS = schedule.PREVIOUS, _("Move to the previous working day")
    NEXT = schedule.NEXT, _("Move to the next working day")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReportCycle(RemembersLoaded, models.Model):
    """报送周期: how often a plan's, a category's or a task's progress is reported. The most specific wins."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="report_cycles", verbose_name=_("plan")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_cycles",
        verbose_name=_("category"),
    )
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_cycles",
        verbose_name=_("task"),
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    due_kind = models.CharField(
        _("due rule"), max_length=12, choices=DueKind.choices, default=DueKind.DAY_OF_MONTH
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), null=True, blank=True, choices=Weekday.choices
    )
    workdays_before_end = models.PositiveSmallIntegerField(
        _("working days before the period ends"), default=0
    )
    shift = models.CharField(
        _("if not a working day"),
        max_length=10,
        choices=Shift.choices,
        default=Shift.PREVIOUS,
    )
    starts_on = models.DateField(
        _("reporting starts on"),
        null=True,
        blank=True,
        help_text=_("Periods ending before this date are not reported."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "category", "task"]
        verbose_name = _("report cycle")
        verbose_name_plural = _("report cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(task__isnull=True),
                name="reportcycle_one_scope",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(category__isnull=True, task__isnull=True),
                name="reportcycle_unique_plan",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(category__isnull=False),
                name="reportcycle_unique_category",
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(task__isnull=False), name="reportcycle_unique_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label} · {self.get_frequency_display()}"

    @property
    def scope_label(self) -> str:
        if self.task_id:
            return str(self.task)
        if self.category_id:
            return str(self.category)
        return str(self.plan)

    def rule(self) -> DueRule:
        return DueRule(
            kind=self.due_kind,
            day_of_month=self.day_of_month,
            weekday=self.weekday,
            workdays_before_end=self.workdays_before_end,
            shift=self.shift,
        )

    def clean(self) -> None:
        errors = dict(schedule.rule_errors(self.frequency, self.rule()))
        if self.category_id and self.task_id:
            errors["task"] = str(_("A cycle belongs to a category or to a task, not both."))
        if self.category is not None and self.category.plan_id != self.plan_id:
            errors["category"] = str(_("The category belongs to another plan year."))
        if self.task is not None and self.task.plan_id != self.plan_id:
            errors["task"] = str(_("The task belongs to another plan year."))
        if errors:
            raise ValidationError(errors)


class ReminderPolicy(RemembersLoaded, models.Model):
    """催办 settings for a plan. A plan without a row uses the defaults below."""

    plan = models.OneToOneField(
        Plan,
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        verbose_name=_("plan"),
    )
    days_before = models.PositiveSmallIntegerField(
        _("remind this many working days before"),
        default=2,
        help_text=_("0: no reminder before the day."),
    )
    on_the_day = models.BooleanField(_("remind on the day"), default=True)
    after_every = models.PositiveSmallIntegerField(
        _("when late, remind every N working days"),
        default=2,
        help_text=_("0: no reminders after the day."),
    )
    escalate_to_head_after = models.PositiveSmallIntegerField(
        _("tell the unit head after N working days late"),
        default=3,
        help_text=_("0: never."),
    )
    escalate_to_leader_after = models.PositiveSmallIntegerField(
        _("tell the leader in charge after N working days late"),
        default=5,
        help_text=_("0: never."),
    )
    max_per_period = models.PositiveSmallIntegerField(_("at most this many reminders per period"), default=5)
    by_email = models.BooleanField(_("also send by e-mail"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")

    def __str__(self) -> str:
        return str(self.plan)

    def clean(self) -> None:
        head, leader = self.escalate_to_head_after, self.escalate_to_leader_after
        if head and leader and leader < head:
            raise ValidationError(
                {
                    "escalate_to_leader_after": _(
                        "The leader in charge is told after the unit head, not before."
                    )
                }
            )
