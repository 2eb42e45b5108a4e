"""Integrity flags (弄虚作假 signals) as stored: they rank tasks for verification, they never accuse."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongtui.dispatch.models import ProgressReport
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan, Task
from tongtui.supervision.signals.flags import FlagKind


class FlagKindChoice(models.TextChoices):
    TEXT_REPEATS_OWN = FlagKind.TEXT_REPEATS_OWN.value, _("Text repeats the unit's earlier report")
    TEXT_MATCHES_OTHER_UNIT = FlagKind.TEXT_MATCHES_OTHER_UNIT.value, _("Text matches another unit's report")
    PROGRESS_JUMP = FlagKind.PROGRESS_JUMP.value, _("Progress jump")
    DEADLINE_JUMP = FlagKind.DEADLINE_JUMP.value, _("Straight to 100% at the deadline")
    COMPLETION_WITHOUT_EVIDENCE = FlagKind.COMPLETION_WITHOUT_EVIDENCE.value, _("Completion without evidence")
    STUCK_NEAR_DONE = FlagKind.STUCK_NEAR_DONE.value, _("Stuck at 80–95%")
    EDITED_AFTER_SUBMISSION = FlagKind.EDITED_AFTER_SUBMISSION.value, _("Edited after submission")
    BACKDATED = FlagKind.BACKDATED.value, _("Filed long after its period")
    INDICATOR_OUT_OF_BOUNDS = FlagKind.INDICATOR_OUT_OF_BOUNDS.value, _("Indicator out of bounds")
    INDICATOR_DECREASED = FlagKind.INDICATOR_DECREASED.value, _("Cumulative indicator fell")
    INDICATOR_INCONSISTENT = FlagKind.INDICATOR_INCONSISTENT.value, _("Indicator inconsistent with progress")
    EVIDENCE_REUSED = FlagKind.EVIDENCE_REUSED.value, _("Evidence file reused")
    SAME_AS_PREFILL = FlagKind.SAME_AS_PREFILL.value, _("Submitted as pre-filled: last period's next steps")
    FIGURES_CHANGED_ONLY = (
        FlagKind.FIGURES_CHANGED_ONLY.value,
        _("Last period's report with only the figures changed"),
    )


class FlagStatus(models.TextChoices):
    NEW = "new", _("To verify")
    VERIFIED = "verified", _("Verified: a real problem")
    DISMISSED = "dismissed", _("Dismissed: explained")


class IntegrityFlag(models.Model):
    """One integrity signal on one task (and report or period), with its readable reason and figures."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=32, choices=FlagKindChoice.choices)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit")
    )
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("report"),
    )
    period = models.DateField(_("period"), null=True, blank=True)
    fingerprint = models.CharField(max_length=120, editable=False)
    strength = models.FloatField(_("strength"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    reason_en = models.TextField(_("reason (English)"), blank=True)
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.NEW)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-strength", "pk"]
        verbose_name = _("integrity flag")
        verbose_name_plural = _("integrity flags")
        constraints = [
            models.UniqueConstraint(fields=["plan", "fingerprint"], name="integrityflag_unique_fingerprint")
        ]
        indexes = [models.Index(fields=["plan", "status"]), models.Index(fields=["task", "status"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"

    def reason_for(self, lang: str) -> str:
        return self.reason if lang.lower().startswith("zh") or not self.reason_en else self.reason_en
