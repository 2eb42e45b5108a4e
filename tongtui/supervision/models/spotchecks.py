"""Spot checks (抽查): a reproducible, risk-weighted draw of tasks, and the verification of each."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.plans.models import Plan, Task
from tongtui.supervision.models.orders import RectificationOrder


class SpotCheck(RemembersLoaded, models.Model):
    """One draw: the seed, the population filter and the weights, so anyone can repeat it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    seed = models.CharField(_("seed"), max_length=64)
    size = models.PositiveIntegerField(_("sample size"))
    population_filter = models.JSONField(_("population filter"), default=dict, blank=True)
    population_size = models.PositiveIntegerField(_("population size"), default=0)
    floor = models.FloatField(_("weight floor (random component)"))
    risk_weight = models.FloatField(_("weight of integrity risk"))
    as_of = models.DateField(_("risk as of"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")

    def __str__(self) -> str:
        return self.title


class CheckResult(models.TextChoices):
    PENDING = "pending", _("Not yet verified")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTLY = "partly", _("Partly confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class SpotCheckItem(RemembersLoaded, models.Model):
    """A drawn task, its weight and key in the draw, and what the verification found."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", verbose_name=_("task"))
    rank = models.PositiveIntegerField(_("rank in the draw"))
    weight = models.FloatField(_("weight"))
    risk = models.FloatField(_("integrity risk"))
    key = models.FloatField(_("draw key"))
    result = models.CharField(
        _("result"), max_length=14, choices=CheckResult.choices, default=CheckResult.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    for_assessment = models.BooleanField(_("marked for assessment"), default=False)
    order = models.ForeignKey(
        RectificationOrder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spot_check_items",
        verbose_name=_("rectification order"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["spot_check", "rank"]
        verbose_name = _("spot-check item")
        verbose_name_plural = _("spot-check items")
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "task"], name="spotcheckitem_unique_task")
        ]

    def __str__(self) -> str:
        return f"{self.spot_check} #{self.rank}"
