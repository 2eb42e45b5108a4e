"""import_reports writes set-based: its query count does not grow with the rows of the ledger."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dispatch.importing.conftest import xlsx
from tongtui.dispatch.importing.write import apply_preview, read_preview
from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import Task

HEADER = ["编号", "任务名称", "月份", "进度(%)", "进展情况", "下步计划"]


def ledger(cast, months: int, shift: int = 0) -> bytes:
    rows = [
        [t.code, t.title, f"2026年{m}月", min(100, 5 * m + shift), f"第{m}月完成情况{shift}", "下步"]
        for t in (cast.task_a, cast.task_c)
        for m in range(1, months + 1)
    ]
    return xlsx(HEADER, *rows)


def queries(cast, data: bytes) -> tuple[int, int]:
    preview = read_preview("台账.xlsx", data, cast.plan)
    assert preview.ok, preview.errors
    with CaptureQueriesContext(connection) as ctx:
        apply_preview(preview, by=cast.user("office"), filename="台账.xlsx")
    return len(ctx.captured_queries), len(preview.items)


def test_importing_ten_months_costs_the_queries_of_two(handed_out):
    few, n_few = queries(handed_out, ledger(handed_out, 2))
    ProgressReport.objects.all().delete()
    Task.objects.filter(pk__in=[handed_out.task_a.pk, handed_out.task_c.pk]).update(progress_on=None)
    many, n_many = queries(handed_out, ledger(handed_out, 10))
    assert (n_few, n_many) == (4, 20)
    assert many == few == 12  # a fixed number, one or two per table written or read, none per row


def test_updating_ten_months_costs_the_queries_of_two(handed_out):
    queries(handed_out, ledger(handed_out, 10))
    many, _n = queries(handed_out, ledger(handed_out, 10, shift=1))  # every row corrected: 20 updates
    assert ProgressReport.objects.filter(version=2).count() == 20
    ProgressReport.objects.all().delete()
    queries(handed_out, ledger(handed_out, 2))
    few, _n = queries(handed_out, ledger(handed_out, 2, shift=1))
    assert many == few == 10
