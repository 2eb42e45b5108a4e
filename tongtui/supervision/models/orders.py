"""The office's supervision records: admonitions (约谈提醒), rectification orders (限期整改) and
accountability (问责), with the evidence files a unit sends back."""

import posixpath
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan, Task


class AdmonitionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Commitments followed up")


class Admonition(RemembersLoaded, models.Model):
    """约谈提醒: a formal talk with a lagging unit; who talked with whom, what was said, what was promised."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    tasks = models.ManyToManyField(Task, blank=True, related_name="+", verbose_name=_("tasks"))  # type: ignore[var-annotated]
    reason = models.TextField(_("reason"))
    scheduled_for = models.DateField(_("scheduled for"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    talked_by = models.CharField(
        _("talk given by"), max_length=200, help_text=_("e.g. 王副区长、区督查室主任")
    )
    talked_with = models.CharField(_("talked with"), max_length=200, help_text=_("e.g. 区发改局局长 李某"))
    record = models.TextField(_("record of the talk"), blank=True)
    commitments = models.TextField(_("commitments"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up of the commitments"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AdmonitionStatus.choices, default=AdmonitionStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = _("admonition")
        verbose_name_plural = _("admonitions")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.scheduled_for:%Y-%m-%d}"


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REPORTED = "reported", _("Rectification reported")
    PASSED = "passed", _("Verified: passed")
    NOT_PASSED = "not_passed", _("Verified: not passed")
    EXTENDED = "extended", _("Extended")
    ESCALATED = "escalated", _("Escalated")


# Orders still waiting for the unit (deadline counts) or for the office.
OPEN_ORDER = (OrderStatus.ISSUED, OrderStatus.REPORTED, OrderStatus.NOT_PASSED, OrderStatus.EXTENDED)
WAITING_FOR_UNIT = (OrderStatus.ISSUED, OrderStatus.EXTENDED, OrderStatus.NOT_PASSED)


class RectificationOrder(RemembersLoaded, models.Model):
    """限期整改: a problem the unit must fix by a deadline counted in working days, then verified."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("task")
    )
    problem = models.TextField(_("problem"))
    requirement = models.TextField(_("requirement"))
    issued_on = models.DateField(_("issued on"))
    workdays = models.PositiveSmallIntegerField(_("working days allowed"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    report_text = models.TextField(_("rectification report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    first_deadline = models.DateField(_("first deadline"))
    approach_notified_on = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    for_assessment = models.BooleanField(_("marked for assessment"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.problem[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER

    @property
    def is_waiting(self) -> bool:
        """Waiting for the unit's rectification (its deadline counts)."""
        return self.status in WAITING_FOR_UNIT

    def is_overdue(self, today: Any = None) -> bool:
        return self.status in WAITING_FOR_UNIT and self.deadline < (today or timezone.localdate())


def evidence_path(instance: Any, filename: str) -> str:
    ext = posixpath.splitext(filename)[1].lower()
    return f"supervision/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class SupervisionFile(models.Model):
    """An evidence file of a rectification report or of a spot-check verification (checked like a report's)."""

    order = models.ForeignKey(
        RectificationOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    spot_check_item = models.ForeignKey(
        "supervision.SpotCheckItem", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("supervision evidence")
        verbose_name_plural = _("supervision evidence")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(order__isnull=False) | models.Q(spot_check_item__isnull=False),
                name="supervisionfile_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class AccountabilityKind(models.TextChoices):
    CRITICISM = "criticism", _("Notice of criticism")
    ADMONISHMENT = "admonishment", _("Admonishment talk")
    ORGANISATIONAL = "organisational", _("Organisational handling")
    DISCIPLINARY = "disciplinary", _("Disciplinary sanction")
    OTHER = "other", _("Other")


class Accountability(RemembersLoaded, models.Model):
    """问责: the decision of the competent body, recorded by the office. Seen by the office and leaders only,
    and by the unit once the office publishes it to the unit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("task")
    )
    order = models.ForeignKey(
        RectificationOrder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability",
        verbose_name=_("rectification order"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AccountabilityKind.choices)
    persons = models.CharField(_("persons held accountable"), max_length=300)
    decided_by = models.CharField(_("decided by"), max_length=200, help_text=_("The competent body."))
    decided_on = models.DateField(_("decided on"))
    decision = models.TextField(_("decision"))
    published_to_unit = models.BooleanField(_("published to the unit"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("accountability")
        verbose_name_plural = _("accountability records")

    def __str__(self) -> str:
        return f"{self.unit} {self.decided_on:%Y-%m-%d}"
