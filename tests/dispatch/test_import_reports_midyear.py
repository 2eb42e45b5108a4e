"""After the mid-year switch (import_tasks --assigned-on), import_reports brings the tasks' progress up to date:
the months reported on paper become accepted reports and each task's progress follows its latest one."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.dispatch.importing.conftest import xlsx
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.due import outstanding
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Task, TaskStatus

D = datetime.date
BOOK = """序号,重点任务,牵头单位,配合单位,责任领导,责任人
11,推进企业上市,区财政局,区税务局,王副区长,陈责任
12,优化营商环境,区发改局,,王副区长,陈责任
13,完成主要经济指标,各主要经济指标牵头单位,,王副区长,陈责任
"""
LEDGER = [
    ["编号", "任务名称", "5月进展", "6月进展", "7月进展", "8月进展"],
    ["11", "推进企业上市", "完成20%,梳理后备企业", "完成35%", "完成50%,2家企业报辅导", "完成60%"],
    ["12", "优化营商环境", "", "完成30%", "完成45%", ""],
]


def run(command: str, path, *args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(command, str(path), "--plan", "2026", "--by", "office", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def switched(cast, tmp_path):
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    run("import_tasks", book, "--assigned-on", "2026-07-01", "--create-units")
    return {t.code: t for t in Task.objects.filter(plan=cast.plan, code__in=["11", "12", "13"])}


def test_import_reports_brings_switched_tasks_up_to_date(cast, switched, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(xlsx(*LEDGER))
    out = run("import_reports", ledger)
    assert "6 reports new" in out and "progress of 2 tasks brought up to date" in out
    reports = ProgressReport.objects.filter(task=switched["11"]).order_by("period_start")
    assert [r.period_start.month for r in reports] == [5, 6, 7, 8]  # before the switch too: what was reported
    assert {r.status for r in reports} == {ReportStatus.ACCEPTED} and all(r.imported for r in reports)
    assert reports[0].unit_id == cast.unit_c.pk  # filed for the lead unit
    task = Task.objects.get(pk=switched["11"].pk)
    assert (task.status, task.progress, task.progress_on) == (TaskStatus.IN_PROGRESS, Decimal(60), D(2026, 8, 31))
    other = Task.objects.get(pk=switched["12"].pk)
    assert (other.progress, other.progress_on) == (Decimal(45), D(2026, 7, 31))


def test_the_draft_left_by_the_switch_is_refused_by_name_and_nothing_is_written(cast, switched, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(xlsx(*LEDGER, ["13", "完成主要经济指标", "", "", "完成50%", ""]))
    with pytest.raises(Exception, match="Row 4: task 13 has no lead unit yet \\(各主要经济指标牵头单位\\)"):
        run("import_reports", ledger, "--dry-run")
    with pytest.raises(Exception, match="Row 4: task 13 has no lead unit yet"):
        run("import_reports", ledger)
    assert not ProgressReport.objects.exists()


def test_periods_imported_are_not_chased_and_the_switch_day_starts_the_count(cast, switched, tmp_path):
    actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, day_of_month=25)
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(xlsx(*LEDGER))
    run("import_reports", ledger)
    task = Task.objects.get(pk=switched["11"].pk)
    due = outstanding([task], D(2026, 10, 20))
    assert [(p.start.month, report) for _t, p, report in due] == [(9, None)]  # only September is still owed
    assert task.assigned_at == datetime.datetime(2026, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
