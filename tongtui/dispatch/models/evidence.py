import posixpath
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded
from tongtui.dispatch.models.reports import ProgressReport
from tongtui.orgs.models import Unit


def evidence_path(instance: Any, filename: str) -> str:
    """Stored under a random name: the user's file name is kept in `original_name`, never in the path."""
    ext = posixpath.splitext(filename)[1].lower()
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Attachment(RemembersLoaded, models.Model):
    """佐证材料: a file or photo backing a report, stored through Django's storage API."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("report"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "uploaded_at"]  # by the column: "report" would join the report, task and plan
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpg", "png", "webp", "heic")
