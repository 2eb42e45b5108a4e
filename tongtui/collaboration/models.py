"""批示 (leader instructions and 圈阅), 协调事项 (coordination requests between units) and comments with
@mentions. Each points at what it is about through one of a few explicit keys (a task, a progress report, a
problem, a bulletin), so that the database keeps them honest and access follows the object's own rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.dispatch.models import Problem, ProgressReport
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Milestone, Task
from tongtui.publicity.models import Bulletin


class TargetKind(models.TextChoices):
    TASK = "task", _("Task")
    REPORT = "report", _("Progress report")
    PROBLEM = "problem", _("Problem")
    BULLETIN = "bulletin", _("Bulletin")


# The key that holds the object of each kind.
TARGET_FIELDS = {
    TargetKind.TASK: "task",
    TargetKind.REPORT: "report",
    TargetKind.PROBLEM: "problem",
    TargetKind.BULLETIN: "bulletin",
}


class Targeted(models.Model):
    """What the row is about: `target_kind` names the key that holds it. `task` is also filled for a report or a
    problem (the task it is about), so that a task's page lists everything around it in one query."""

    target_kind = models.CharField(_("about"), max_length=10, choices=TargetKind.choices)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("task")
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("progress report"),
    )  # fmt: skip
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("problem")
    )

    class Meta:
        abstract = True

    @property
    def target(self) -> models.Model | None:
        return getattr(self, TARGET_FIELDS[TargetKind(self.target_kind)], None)

    def clean_target(self, kinds: tuple[str, ...]) -> None:
        if self.target_kind not in kinds:
            raise ValidationError({"target_kind": _("This cannot be written on that.")})
        own = TARGET_FIELDS[TargetKind(self.target_kind)]
        if getattr(self, f"{own}_id", None) is None:
            raise ValidationError({"target_kind": _("Say what it is about.")})
        for kind in kinds:
            name = TARGET_FIELDS[TargetKind(kind)]
            if name not in (own, "task") and getattr(self, f"{name}_id", None) is not None:
                raise ValidationError({"target_kind": _("It is about one thing only.")})


class InstructionKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Instruction")
    READ = "read", _("Read (圈阅)")


class InstructionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for replies")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class Instruction(RemembersLoaded, Targeted):
    """批示: a leader's written instruction on a task, a report, a problem or a bulletin, which the units
    concerned answer by a date in working days; or 圈阅, the leader's mark that they read it (no reply)."""

    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("bulletin")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=InstructionKind.choices, default=InstructionKind.INSTRUCTION
    )
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader"))
    text = models.TextField(_("instruction"), blank=True)
    units = models.ManyToManyField(  # type: ignore[var-annotated]
        Unit, through="InstructionUnit", related_name="+", verbose_name=_("units concerned")
    )
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InstructionStatus.choices, default=InstructionStatus.OPEN,
        db_index=True,
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("written by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("closed by"),
    )  # fmt: skip
    new_task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("task made from it"),
    )  # fmt: skip
    new_milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("milestone made from it"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        indexes = [models.Index(fields=["status", "reply_by"])]

    def __str__(self) -> str:
        return self.text[:60] or str(self.get_kind_display())

    @property
    def is_read_mark(self) -> bool:
        return self.kind == InstructionKind.READ

    def clean(self) -> None:
        self.clean_target(tuple(TargetKind.values))
        if self.kind == InstructionKind.INSTRUCTION:
            if not self.text.strip():
                raise ValidationError({"text": _("Write the instruction.")})
            if self.reply_by is None:
                raise ValidationError({"reply_by": _("Give the date the units reply by.")})


class InstructionUnit(RemembersLoaded, models.Model):
    """A unit an instruction asks to reply, and when it first did."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="unit_links", verbose_name=_("instruction")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    chased_on = models.DateField(_("chased on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit concerned")
        verbose_name_plural = _("units concerned")
        constraints = [
            models.UniqueConstraint(fields=["instruction", "unit"], name="instruction_unit_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class InstructionReply(RemembersLoaded, models.Model):
    """One message of an instruction's thread: a unit's reply, or the leader's (or the office's) answer."""

    instruction = models.ForeignKey(
        Instruction, on_delete=models.CASCADE, related_name="replies", verbose_name=_("instruction")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("on behalf of"),
    )  # fmt: skip
    text = models.TextField(_("reply"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("written by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply to an instruction")
        verbose_name_plural = _("replies to instructions")

    def __str__(self) -> str:
        return self.text[:60]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a reply")
    ACCEPTED = "accepted", _("Taken on")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REQUEST_STATES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class CoordinationRequest(RemembersLoaded, models.Model):
    """协调事项: a unit asks another unit (or a leader) for something its task needs, by a date in working days.
    The other side accepts (and may name its own related task), answers, or declines with a reason."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task that needs it")
    )
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    to_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked of unit")
    )
    to_leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("asked of leader"),
    )  # fmt: skip
    subject = models.CharField(_("what is needed"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    reply_by = models.DateField(_("reply by"))
    related_task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("related task of the other side"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("asked by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    chased_on = models.DateField(_("chased on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("coordination request")
        verbose_name_plural = _("coordination requests")
        indexes = [models.Index(fields=["status", "reply_by"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def addressee_label(self) -> str:
        if self.to_unit is not None:
            return self.to_unit.label
        return str(self.to_leader) if self.to_leader is not None else ""

    def clean(self) -> None:
        if (self.to_unit_id is None) == (self.to_leader_id is None):
            raise ValidationError({"to_unit": _("Ask one unit or one leader.")})
        if self.to_unit_id is not None and self.to_unit_id == self.from_unit_id:
            raise ValidationError({"to_unit": _("Ask another unit than yours.")})
        if not self.subject.strip():
            raise ValidationError({"subject": _("Say what is needed.")})


class Comment(RemembersLoaded, Targeted):
    """A comment on a task, a report or a problem, with @mentions. Edits and deletions keep the history."""

    text = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("written by"),
    )  # fmt: skip
    mentions = models.ManyToManyField(  # type: ignore[var-annotated]
        Person, blank=True, related_name="+", verbose_name=_("mentioned")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        self.clean_target((TargetKind.TASK, TargetKind.REPORT, TargetKind.PROBLEM))
        if self.deleted_at is None and not self.text.strip():
            raise ValidationError({"text": _("Write the comment.")})
