"""Confirming an import twice at once (a double click, two people): exactly one imports, the other is told."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.race import at_once
from tongtui.plans.models import Task, TaskImport

pytestmark = pytest.mark.django_db(transaction=True)

BOOK = "序号,重点任务,牵头单位,配合单位\n7,推进企业上市,区财政局,各街道\n8,优化营商环境,区发改局,\n"


def client(cast):
    c = cast.client("office")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def test_three_confirms_at_once_import_once(district):
    cast = district.cast
    c = client(cast)
    c.post(
        reverse("task-import", args=[2026]),
        {"file": SimpleUploadedFile("book.csv", BOOK.encode()), "lead_rule": "first"},
    )
    staged = TaskImport.objects.get()
    url = reverse("task-import-confirm", args=[2026, staged.pk])
    responses = at_once(3, lambda i: client(cast).post(url, {"step": "apply"}, follow=True))
    for r in responses:
        if isinstance(r, Exception):
            raise r
    pages = [r.content.decode() for r in responses]
    assert sum("Imported book.csv: 2 new tasks" in p for p in pages) == 1
    assert sum("already been applied" in p for p in pages) == 2
    assert Task.objects.filter(plan=cast.plan, code__in=["7", "8"]).count() == 2
    task = Task.objects.get(plan=cast.plan, code="7")
    assert task.history.count() == 1 and task.co_group_links.count() == 1
