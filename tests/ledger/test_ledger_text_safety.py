"""Text pasted from Word in a task, a report and a problem: the ledger still opens, and no cell is a formula."""

import io

from tests.ledger.conftest import read, rows_of
from tongtui.core.officefiles import text
from tongtui.dispatch.models import AddressedTo, Problem, ProgressReport, ReportStatus
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Task

TITLE = "老旧小区改造\x0b二期\x01"
GOAL = '=HYPERLINK("http://evil.example","点我")'
MEASURES = "-1+2"
DELIVERABLES = "@SUM(A1)"
NOTE = "  =1+1\x0c"
PROBLEM = "\t=cmd|' /C calc'!A0\x1f"
NEXT = "+1\x08下步"


def dirty_ledger(cast, django_assert_max_num_queries=None):
    Task.objects.filter(pk=cast.task_a.pk).update(
        title=TITLE, goal=GOAL, measures=MEASURES, deliverables=DELIVERABLES, progress_note=NOTE
    )
    ProgressReport.objects.create(
        task=cast.task_a, unit=cast.unit_a, period_start="2026-04-01", period_end="2026-04-30",
        status=ReportStatus.ACCEPTED, next_steps=NEXT, problems="资金\x0b未到位\ufffe",
    )  # fmt: skip
    Problem.objects.create(task=cast.task_a, unit=cast.unit_a, title=PROBLEM, addressed_to=AddressedTo.OFFICE,
                           answer_by="2026-05-10")  # fmt: skip
    buffer = io.BytesIO()
    write_ledger(cast.plan, Task.objects.all(), buffer, viewer=cast.user("office"))
    return read(buffer.getvalue())


def test_the_ledger_opens_and_holds_the_text(cast):
    sheet = dirty_ledger(cast)
    row = rows_of(sheet)[0]
    assert row["重点任务"] == "老旧小区改造\n二期"
    assert (row["工作目标"], row["主要举措"], row["成果形式"]) == (GOAL, MEASURES, DELIVERABLES)
    assert row["最新进展"] == "  =1+1\n"
    assert row["存在问题"] == "1." + text(PROBLEM).strip() + "\n2.资金\n未到位"
    assert row["下步计划"] == "+1下步"


def test_no_cell_is_a_formula_and_numbers_stay_numbers(cast):
    sheet = dirty_ledger(cast)
    cells = [c for row in sheet.iter_rows(min_row=1) for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    headers = [c.value for c in sheet[2]]
    row = {h: sheet.cell(3, i) for i, h in enumerate(headers, start=1)}
    assert row["工作目标"].data_type == "s" and row["工作目标"].quotePrefix
    assert row["主要举措"].quotePrefix and row["成果形式"].quotePrefix
    assert row["进度(%)"].data_type == "n" and row["权重"].data_type == "n" and row["序号"].data_type == "n"
    assert row["完成时限"].is_date


def test_the_title_row_takes_a_plan_title_that_looks_like_a_formula(cast):
    cast.plan.title = "=2026年重点工作"
    cast.plan.save()
    buffer = io.BytesIO()
    write_ledger(cast.plan, Task.objects.all(), buffer)
    cell = read(buffer.getvalue())["A1"]
    assert cell.value == "=2026年重点工作台账" and cell.data_type == "s"
