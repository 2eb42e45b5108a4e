from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded


class WorkdayOverride(RemembersLoaded, models.Model):
    """A day the office declares worked or off, over the official calendar (or for a year it does not know)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("day off")
        return f"{self.date:%Y-%m-%d} {kind}"


class Stale(models.Model):
    """A derived row to recompute (a task's light, the scores behind a task), marked in the transaction that
    changed its inputs and cleared by the worker once recomputed (core.stale). Not domain data: no history."""

    kind = models.CharField(max_length=20)
    key = models.BigIntegerField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="core_stale_kind_key")]
