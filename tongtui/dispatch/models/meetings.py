import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import PERCENT, Category, Milestone, Plan, Task, TaskStatus


class MeetingScope(models.TextChoices):
    PLAN = "plan", _("The whole plan")
    CATEGORY = "category", _("One category")
    LEADER = "leader", _("One leader's tasks")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


def pack_path(instance: "Meeting", filename: str) -> str:
    return f"meetings/{instance.date:%Y}/meeting-{instance.pk}-{instance.date:%Y%m%d}.docx"


class Meeting(RemembersLoaded, models.Model):
    """调度会: a dispatch meeting chaired by a leader, with its agenda built from the data, a pack and decisions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("plan"))
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), default=datetime.time(9, 0))
    title = models.CharField(_("title"), max_length=200)
    chair = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair"))
    scope = models.CharField(
        _("scope"), max_length=10, choices=MeetingScope.choices, default=MeetingScope.PLAN
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    pack = models.FileField(_("meeting pack"), upload_to=pack_path, max_length=200, blank=True)
    pack_generated_at = models.DateTimeField(_("pack generated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-time", "-pk"]
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")
        indexes = [models.Index(fields=["status", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def scope_label(self) -> str:
        if self.scope == MeetingScope.CATEGORY and self.category is not None:
            return self.category.name
        if self.scope == MeetingScope.LEADER and self.leader is not None:
            return str(self.leader)
        return str(self.get_scope_display())

    def clean(self) -> None:
        if self.scope == MeetingScope.CATEGORY:
            if self.category_id is None:
                raise ValidationError({"category": _("Choose the category the meeting is about.")})
            if self.category is not None and self.category.plan_id != self.plan_id:
                raise ValidationError({"category": _("The category belongs to another plan year.")})
        if self.scope == MeetingScope.LEADER and self.leader_id is None:
            raise ValidationError({"leader": _("Choose the leader whose tasks the meeting is about.")})


class DecisionKind(models.TextChoices):
    TASK = "task", _("A new task")
    MILESTONE = "milestone", _("A milestone on an existing task")


class Decision(RemembersLoaded, models.Model):
    """议定事项: what a meeting decided, with its units and deadline; it becomes a tracked task or milestone."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    seq = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("decision"))
    kind = models.CharField(
        _("tracked as"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.TASK
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit")
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("co-units"))
    deadline = models.DateField(_("deadline"))
    planned_progress = models.DecimalField(
        _("planned progress"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("For a milestone: the task's progress when it is done. Blank: read off the roadmap."),
    )
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("task"),
        help_text=_("A new task: its parent (optional). A milestone: the task it goes on."),
    )
    created_task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("tracked task"),
    )
    created_milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tracked milestone"),
    )
    history = HistoricalRecords(m2m_fields=[co_units])

    class Meta:
        ordering = ["meeting", "seq", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        return f"{self.meeting.date:%Y-%m-%d} #{self.seq} {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        if self.created_milestone is not None:
            return self.created_milestone.done_on is None
        if self.created_task is not None:
            return self.created_task.status not in (TaskStatus.CLOSED, TaskStatus.CANCELLED)
        return True

    def clean(self) -> None:
        if self.kind == DecisionKind.MILESTONE and self.task_id is None:
            raise ValidationError({"task": _("Choose the task the milestone goes on.")})
