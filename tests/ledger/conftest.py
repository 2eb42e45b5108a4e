import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tongtui.dispatch.models import AddressedTo, Problem, ProgressReport, ReportStatus
from tongtui.plans.models import CoUnit, Milestone, Task
from tongtui.supervision.models import TaskLight

NOW = datetime.datetime(2026, 5, 1, 8, tzinfo=datetime.UTC)


def read(data: bytes | str) -> Worksheet:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    sheet = openpyxl.load_workbook(source).active
    assert sheet is not None
    return sheet


def rows_of(sheet: Worksheet) -> list[dict]:
    """The task rows as {header: value}."""
    headers = [c.value for c in sheet[2]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]


@pytest.fixture
def many_tasks(cast):
    """Tasks with co-units, milestones, a light, reports and a problem, to show the export's query count does
    not grow with them."""

    def make(n: int) -> None:
        for i in range(n):
            task = Task.objects.create(
                plan=cast.plan,
                code=f"9.{i + 1}",
                title=f"任务{i}",
                category=cast.category,
                lead_unit=cast.unit_a,
                leader=cast.leader,
                owner=cast.owner,
                start=datetime.date(2026, 1, 1),
                due=datetime.date(2026, 12, 31),
            )
            CoUnit.objects.create(task=task, unit=cast.unit_b)
            CoUnit.objects.create(task=task, unit=cast.unit_c)
            TaskLight.objects.create(
                task=task, light="red" if i % 2 else "green", as_of=datetime.date(2026, 5, 1), computed_at=NOW
            )
            for month, status in ((3, ReportStatus.ACCEPTED), (4, ReportStatus.SUBMITTED)):
                ProgressReport.objects.create(
                    task=task,
                    unit=cast.unit_a,
                    period_start=datetime.date(2026, month, 1),
                    period_end=datetime.date(2026, month, 28),
                    status=status,
                    next_steps=f"{month}月后继续推进",
                    problems=f"{month}月资金未到位",
                )
            Problem.objects.create(
                task=task,
                unit=cast.unit_a,
                title="用地指标未落实",
                addressed_to=AddressedTo.OFFICE,
                answer_by=datetime.date(2026, 5, 10),
            )
            for month, planned in ((3, 30), (12, 100)):
                Milestone.objects.create(
                    task=task,
                    title="节点",
                    due=datetime.date(2026, month, 28),
                    planned_progress=Decimal(planned),
                )
            if i % 2:
                Task.objects.create(
                    plan=cast.plan,
                    parent=task,
                    code=f"9.{i + 1}.1",
                    title=f"子任务{i}",
                    lead_unit=cast.unit_b,
                )

    return make
