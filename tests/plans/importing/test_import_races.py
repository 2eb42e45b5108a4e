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


def test_a_task_committed_between_the_previews_reads_is_left_out_not_a_crash(district, monkeypatch):
    """The preview reads the plan's tasks, then their co-units, groups and milestones, in separate statements; a
    task another confirmation commits in between has links but no row. It used to raise KeyError (a 500 for the
    second of two people confirming at once)."""
    import datetime

    from tongtui.plans.importing.existing import load_existing
    from tongtui.plans.models import CoUnit, Milestone

    cast = district.cast
    late = Task.objects.create(plan=cast.plan, code="99", title="同时导入的任务", lead_unit=cast.unit_a)
    CoUnit.objects.create(task=late, unit=cast.unit_c)
    Milestone.objects.create(task=late, seq=1, title="完成", due=datetime.date(2026, 6, 30), planned_progress=100)
    read_before = Task.objects.filter
    monkeypatch.setattr(Task.objects, "filter", lambda *a, **k: read_before(*a, **k).exclude(pk=late.pk))
    found = load_existing(cast.plan)
    assert "99" not in found
    assert cast.task_a.code in found
