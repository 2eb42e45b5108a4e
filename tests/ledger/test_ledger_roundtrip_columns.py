"""A ledger with every printed column filled still imports back onto the same tasks, unchanged: the importer
ignores 序号, 亮灯, 存在问题 and 下步计划."""

import datetime
import io

from django.utils import timezone

from tongtui.dispatch.models import AddressedTo, Problem, ProgressReport, ReportStatus
from tongtui.plans.importing.apply import apply_book, read_book
from tongtui.plans.importing.book import Options
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Task
from tongtui.supervision.models import TaskLight


def test_a_ledger_with_lights_problems_and_next_steps_imports_back_unchanged(cast):
    TaskLight.objects.create(
        task=cast.task_a, light="red", as_of=datetime.date(2026, 5, 1), computed_at=timezone.now()
    )
    ProgressReport.objects.create(
        task=cast.task_a, unit=cast.unit_a, period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30), status=ReportStatus.ACCEPTED, next_steps="加快进度",
        problems="资金未到位",
    )  # fmt: skip
    Problem.objects.create(task=cast.task_a, unit=cast.unit_a, title="用地未落实", addressed_to=AddressedTo.OFFICE,
                           answer_by=datetime.date(2026, 5, 10))  # fmt: skip
    buffer = io.BytesIO()
    write_ledger(cast.plan, Task.objects.all(), buffer, viewer=cast.user("office"))
    book = read_book("ledger.xlsx", buffer.getvalue(), Options(year=2026), plan=cast.plan)
    assert book.ok, book.all_errors
    assert [(r.code, r.action) for r in book.rows] == [("1", "unchanged"), ("2", "unchanged")]
    assert {"序号", "亮灯", "存在问题", "下步计划"} <= set(book.ignored_columns)
    result = apply_book(book, year=2026, by=cast.user("office"), filename="ledger.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
