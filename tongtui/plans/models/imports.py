"""An uploaded task book kept between its preview and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongtui.plans.models.tasks import Plan


class TaskImport(models.Model):
    """An uploaded task book kept between its preview and its confirmation (not a domain record: no history)."""

    class LeadRule(models.TextChoices):
        FIRST = "first", _("The first unit listed under 责任单位 leads")
        NONE = "none", _("No lead unit: all units listed are equal, the office chooses the lead")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports", verbose_name=_("plan"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("content"), blank=True, default=b"")
    pasted_text = models.TextField(_("pasted text"), blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    lead_rule = models.CharField(
        _("lead rule"), max_length=10, choices=LeadRule.choices, default=LeadRule.FIRST
    )
    create_units = models.BooleanField(_("create unknown units"), default=False)
    unit_mapping = models.JSONField(_("unit mapping"), default=dict, blank=True)
    assigned_on = models.DateField(
        _("assigned and acknowledged on"),
        null=True,
        blank=True,
        help_text=_("The mid-year switch: the day the tasks were handed out before Tongtui."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task book import")
        verbose_name_plural = _("task book imports")

    def __str__(self) -> str:
        return self.filename or str(_("pasted text"))
