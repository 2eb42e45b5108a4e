"""Plan years, categories, key tasks and what hangs off them: co-units, milestones, indicators."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded, prefetched
from tongtui.orgs.models import Person, Post, Unit, UnitGroup
from tongtui.plans.codes import task_key

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Plan(RemembersLoaded, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    year = models.PositiveIntegerField(_("year"), unique=True, validators=[MinValueValidator(2000)])
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    acknowledge_workdays = models.PositiveSmallIntegerField(
        _("working days to acknowledge"),
        default=3,
        help_text=_("Units acknowledge (签收) an assigned task within this many working days."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan year")
        verbose_name_plural = _("plan years")

    def __str__(self) -> str:
        return self.title or str(self.year)


class Category(RemembersLoaded, models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="categories", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    CITY = "city", _("City deployment")
    WORK_REPORT = "work_report", _("Government work report")
    MEETING = "meeting", _("Meeting decision")
    INSTRUCTION = "instruction", _("Leader instruction")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    CLOSED = "closed", _("Closed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(models.QuerySet):
    def with_related(self) -> "TaskQuerySet":
        return self.select_related("plan", "category", "lead_unit", "leader", "owner", "parent")


class Task(RemembersLoaded, models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent task"),
    )
    code = models.CharField(_("code"), max_length=40)
    # The code's natural order (plans.codes.task_key), kept on every save and set-based write.
    code_sort = models.CharField(max_length=255, blank=True, default="", editable=False)
    title = models.CharField(_("title"), max_length=500)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("category"),
    )
    goal = models.TextField(_("goal"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("lead unit"),
    )
    lead_text = models.CharField(
        _("lead unit as written"),
        max_length=200,
        blank=True,
        help_text=_("What the task book says when it names no single unit (各相关部门) or an unknown one."),
    )
    co_units = models.ManyToManyField(  # type: ignore[var-annotated]
        Unit,
        blank=True,
        through="CoUnit",
        related_name="co_tasks",
        verbose_name=_("co-units"),
    )
    co_groups = models.ManyToManyField(  # type: ignore[var-annotated]
        UnitGroup,
        blank=True,
        through="CoGroup",
        related_name="tasks",
        verbose_name=_("co-unit groups"),
    )
    leader = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("responsible leader"),
    )
    owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tasks",
        verbose_name=_("responsible person"),
    )
    leader_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader_tasks",
        verbose_name=_("responsible leader's post"),
    )
    owner_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owner_tasks",
        verbose_name=_("responsible person's post"),
    )
    leader_text = models.CharField(_("responsible leader as written"), max_length=100, blank=True)
    owner_text = models.CharField(_("responsible person as written"), max_length=100, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=100, blank=True)
    original_due = models.DateField(
        _("original due date"), null=True, blank=True, help_text=_("The due date before the first extension.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WORK_REPORT)
    status = models.CharField(
        _("status"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=False)
    progress = models.DecimalField(
        _("progress"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
    )
    progress_note = models.TextField(_("latest progress"), blank=True)
    progress_on = models.DateField(_("progress as of"), null=True, blank=True)
    lead_acknowledged_at = models.DateTimeField(_("lead unit acknowledged at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assignment_no = models.PositiveIntegerField(_("assignment number"), null=True, blank=True, editable=False)
    ack_due = models.DateField(_("acknowledge by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    carried_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        editable=False,
        verbose_name=_("carried over from"),
        help_text=_("The task of an earlier year this one continues (结转)."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "code_sort"])

    objects = TaskQuerySet.as_manager()
    _sorted_as: tuple[str | None, int | None] | None = None  # (code, parent) code_sort was computed from

    class Meta:
        ordering = ["plan", "code_sort", "code"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_unique_code"),
            models.UniqueConstraint(fields=["plan", "assignment_no"], name="task_unique_assignment_no"),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["plan", "lead_unit"]),
            models.Index(fields=["plan", "leader"]),
            models.Index(fields=["plan", "due"]),
            models.Index(fields=["plan", "code_sort"], name="task_plan_code_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The parent is read only when the code or the parent changed (or the key was never set).
        if not self.code_sort or self._sorted_as != (self.code, self.parent_id):
            self.code_sort = task_key(self.code, self.parent.code_sort if self.parent is not None else None)
            self._sorted_as = (self.code, self.parent_id)
        fields = kwargs.get("update_fields")
        if fields is not None and {"code", "parent", "parent_id"} & set(fields):
            kwargs["update_fields"] = {*fields, "code_sort"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> "Task":
        task = super().from_db(db, field_names, values)
        task._sorted_as = (task.__dict__.get("code"), task.__dict__.get("parent_id"))
        return task

    def clean(self) -> None:
        errors = {}
        if self.start and self.due and self.start > self.due:
            errors["due"] = _("The due date is before the start date.")
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                errors["parent"] = _("A task cannot be its own parent.")
            elif self.parent and self.parent.plan_id != self.plan_id:
                errors["parent"] = _("The parent task belongs to another plan year.")
        if self.category_id is not None and self.category and self.category.plan_id != self.plan_id:
            errors["category"] = _("The category belongs to another plan year.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status not in (TaskStatus.CLOSED, TaskStatus.CANCELLED)

    def co_unit_ids(self) -> set[int]:
        """The co-units' ids: from the links the caller prefetched into `co_unit_links` (the task page reads them
        once, with their units), else one query."""
        loaded = prefetched(self, "co_unit_links")
        if loaded is not None:
            return {link.unit_id for link in loaded}
        return set(self.co_unit_links.values_list("unit_id", flat=True))

    def co_units_written(self) -> list[str]:
        """The co-units as the task book wrote them: each unit group as written (各镇街), then the units named
        on their own. Reads `co_group_links` (with group) and `co_unit_links` (with unit): prefetch both."""
        names = [link.written or link.group.name for link in self.co_group_links.all()]
        names += [link.unit.label for link in self.co_unit_links.all() if link.via_group_id is None]
        return names

    def missing_for_assignment(self) -> list[str]:
        """有人抓、有人管、有人负责: what is still missing before the task can be assigned."""
        missing = []
        if self.lead_unit_id is None:
            missing.append(str(_("lead unit")))
        if self.leader_id is None:
            missing.append(str(_("responsible leader")))
        if self.owner_id is None:
            missing.append(str(_("responsible person")))
        return missing


class CoUnit(RemembersLoaded, models.Model):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="co_unit_links", verbose_name=_("task")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="co_unit_links", verbose_name=_("unit")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    via_group = models.ForeignKey(
        UnitGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("named through the group"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-unit")
        verbose_name_plural = _("co-units")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="counit_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit}"


class CoGroup(RemembersLoaded, models.Model):
    """A collective name the task book gives as co-units (各镇街): kept as written; its member units are
    co-units of the task through it, and follow the group when the office fills or changes it."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="co_group_links", verbose_name=_("task")
    )
    group = models.ForeignKey(
        UnitGroup, on_delete=models.PROTECT, related_name="task_links", verbose_name=_("unit group")
    )
    written = models.CharField(_("as written"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-unit group")
        verbose_name_plural = _("co-unit groups")
        constraints = [models.UniqueConstraint(fields=["task", "group"], name="cogroup_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.written or self.group}"


class Milestone(RemembersLoaded, models.Model):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("task")
    )
    seq = models.PositiveIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due"))
    original_due = models.DateField(
        _("original due date"), null=True, blank=True, help_text=_("The due date before the first extension.")
    )
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    planned_progress = models.DecimalField(
        _("planned progress"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("Progress the task should have reached when this milestone is done (0–100)."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task_id", "due", "seq"]  # by the column: "task" would join the task and plan to order
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["due"])]

    def __str__(self) -> str:
        return f"{self.due:%Y-%m-%d} {self.title}"


class Indicator(RemembersLoaded, models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")
        REACH = "reach", _("Reach the target")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("task")
    )
    name = models.CharField(_("name"), max_length=200)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["task_id", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(RemembersLoaded, models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="indicatorvalue_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.value}"
