"""Importing an office's progress history: long and wide ledgers, bad rows, re-import, dry run."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from tests.dispatch.importing.conftest import xlsx
from tongtui.dispatch import actions, actions_cycles
from tongtui.dispatch.due import outstanding
from tongtui.dispatch.importing.write import ImportFailed, apply_preview, read_preview
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.dispatch.schedule import Period
from tongtui.plans.models import Task, TaskStatus

D = datetime.date
JANUARY = datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
LONG = [
    ["编号", "任务名称", "月份", "进度(%)", "进展情况", "下步计划"],
    ["1", "地区生产总值增长6%左右", "2026年1月", 10, "完成项目谋划", ""],
    ["1", "地区生产总值增长6%左右", "2026年2月", "20%", "完成立项", "开展招标"],
    ["2", "一般公共预算收入增长5%", "2026-02", 0.15, "收入稳步增长", ""],
]
WIDE = [
    ["序号", "主要任务", "牵头单位", "1月进展", "2月进展", "3月进展", "是否达序"],
    ["1", "地区生产总值增长6%左右", "区发改局", "完成10%,开展前期工作", "完成25%,已开工建设", "", "是"],
    ["2", "一般公共预算收入增长5%", "区财政局", "", "形象进度达到30%", "完成45%", "否"],
]


def run(cast, data, name="台账.xlsx", who="office", dry_run=False):
    preview = read_preview(name, data, cast.plan)
    return preview, apply_preview(preview, by=cast.user(who), filename=name, dry_run=dry_run)


def reports(task):
    return {r.period_start.month: r for r in ProgressReport.objects.filter(task=task)}


def test_a_long_ledger_becomes_accepted_imported_reports(handed_out):
    cast = handed_out
    _preview, result = run(cast, xlsx(*LONG, title="2026年重点工作进展台账"))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    feb = reports(cast.task_a)[2]
    assert (feb.period_start, feb.period_end) == (D(2026, 2, 1), D(2026, 2, 28))
    assert feb.progress == 20
    assert (feb.done, feb.next_steps) == ("完成立项", "开展招标")
    assert feb.status == ReportStatus.ACCEPTED
    assert feb.imported
    assert feb.reviewed_by == cast.user("office")
    assert reports(cast.task_c)[2].progress == 15  # a cell formatted as 15% is stored as 0.15
    last = feb.history.first()
    assert last.history_user == cast.user("office")
    assert last.history_change_reason == "import_reports 台账.xlsx"


def test_a_percent_formatted_column_reads_100_percent_stored_as_1(handed_out):
    cast = handed_out
    data = xlsx(
        ["编号", "任务名称", "月份", "完成比例", "进展情况"],
        ["1", "地区生产总值增长6%左右", "2026年5月", 1, "全面完成"],
        ["2", "一般公共预算收入增长5%", "2026年5月", 0.45, "稳步推进"],
    )
    run(cast, data)
    assert reports(cast.task_a)[5].progress == 100
    assert reports(cast.task_c)[5].progress == 45


def test_a_wide_ledger_gives_one_report_per_filled_month_with_the_percentage_read_from_the_text(handed_out):
    cast = handed_out
    preview, result = run(cast, xlsx(*WIDE))
    assert preview.ledger.form == "wide"
    assert "是否达序" in preview.ledger.ignored_columns
    assert result.created == 4
    a, c = reports(cast.task_a), reports(cast.task_c)
    assert sorted(a) == [1, 2] and sorted(c) == [2, 3]
    assert (a[2].progress, a[2].done) == (25, "完成25%,已开工建设")
    assert c[2].progress == 30


def test_cumulative_columns_map_to_the_month_they_end_in(handed_out):
    cast = handed_out
    data = xlsx(
        ["序号", "主要任务", "全年目标任务", "1-10月推进情况", "1-11月推进情况", "说明"],
        ["1", "地区生产总值增长6%左右", "增长6%", "完成80%", "完成90%,正在验收", ""],
    )
    run(cast, data)
    a = reports(cast.task_a)
    assert (a[10].period_end, a[10].progress) == (D(2026, 10, 31), 80)
    assert a[11].progress == 90


def test_a_separate_percentage_column_per_month_is_read_beside_the_text(handed_out):
    cast = handed_out
    data = xlsx(
        ["编号", "任务名称", "3月进度(%)", "3月进展情况"],
        ["1", "地区生产总值增长6%左右", 35, "签订合同，占年度计划的12%"],
    )
    run(cast, data)
    assert reports(cast.task_a)[3].progress == 35


def test_a_month_header_over_two_sub_columns_is_read(handed_out):
    cast = handed_out
    data = xlsx(
        ["编号", "任务名称", "4月", "4月"],
        ["", "", "进度(%)", "进展情况"],
        ["1", "地区生产总值增长6%左右", "40", "主体完工"],
    )
    run(cast, data)
    april = reports(cast.task_a)[4]
    assert (april.progress, april.done) == (40, "主体完工")


def test_tasks_are_matched_by_title_when_there_is_no_code(handed_out):
    cast = handed_out
    data = xlsx(
        ["任务名称", "期间", "完成比例", "工作进展"], ["地区生产总值增长 6% 左右", "5月", "50%", "过半"]
    )
    run(cast, data)
    assert reports(cast.task_a)[5].progress == 50


def test_a_row_that_matches_no_task_fails_the_whole_import_with_its_row_number(handed_out):
    cast = handed_out
    rows = [*LONG, ["3.4", "不存在的任务", "2026年3月", 30, "进展"]]
    preview = read_preview("台账.xlsx", xlsx(*rows, title="台账"), cast.plan)
    assert not preview.ok
    (message,) = preview.errors
    assert "6" in message and "3.4" in message  # row 6 of the sheet: title, header, three rows, then this
    with pytest.raises(ImportFailed):
        apply_preview(preview, by=cast.user("office"), filename="台账.xlsx")
    assert not ProgressReport.objects.exists()


def test_bad_cells_are_reported_row_by_row(handed_out):
    cast = handed_out
    data = xlsx(
        ["编号", "任务名称", "月份", "进度(%)", "进展情况"],
        ["1", "地区生产总值增长6%左右", "三季度末", 30, "进展"],
        ["1", "地区生产总值增长6%左右", "2026年4月", "大半", "进展"],
        ["2", "一般公共预算收入增长5%", "2025年12月", 10, "进展"],
    )
    errors = read_preview("台账.xlsx", data, cast.plan).errors
    assert len(errors) == 3
    assert "三季度末" in errors[0] and "大半" in errors[1] and "2025" in errors[2]
    assert all(str(n) in e for n, e in zip((2, 3, 4), errors, strict=True))


def test_the_same_task_and_month_twice_is_an_error(handed_out):
    cast = handed_out
    rows = [*LONG, ["1", "地区生产总值增长6%左右", "2026-02", 25, "重复"]]
    (message,) = read_preview("台账.xlsx", xlsx(*rows), cast.plan).errors
    assert "5" in message and "3" in message  # row 5 repeats row 3


def test_reimporting_the_same_ledger_changes_nothing_and_a_corrected_one_updates(handed_out):
    cast = handed_out
    run(cast, xlsx(*LONG))
    _p, again = run(cast, xlsx(*LONG))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    corrected = [list(r) for r in LONG]
    corrected[2][3] = 22
    _p, fixed = run(cast, xlsx(*corrected), name="台账-更正.xlsx")
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 1, 2)
    feb = reports(cast.task_a)[2]
    assert feb.progress == 22
    assert feb.history.first().history_change_reason == "import_reports 台账-更正.xlsx"
    assert ProgressReport.objects.count() == 3


def test_a_report_filed_in_tongtui_is_never_overwritten(handed_out):
    cast = handed_out
    actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, day_of_month=25)
    liaison = cast.user("liaison_a")
    report = actions.start_or_get_draft(
        cast.task_a, Period(D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 25)), by=liaison
    )
    actions.save_draft(report, by=liaison, version=None, progress=Decimal(18), done="在线填报")
    preview = read_preview("台账.xlsx", xlsx(*LONG), cast.plan)
    (message,) = preview.errors
    assert "3" in message  # the February row of task 1
    report.refresh_from_db()
    assert report.done == "在线填报"


def test_a_dry_run_writes_nothing_but_counts_what_it_would_do(handed_out):
    cast = handed_out
    _preview, result = run(cast, xlsx(*LONG), dry_run=True)
    assert result.created == 3
    assert not ProgressReport.objects.exists()
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress_on is None


def test_the_tasks_progress_follows_the_latest_imported_report(handed_out):
    cast = handed_out
    _preview, result = run(cast, xlsx(*LONG))
    assert result.tasks_progressed == 2
    cast.task_a.refresh_from_db()
    assert (cast.task_a.progress, cast.task_a.progress_on) == (20, D(2026, 2, 28))
    assert cast.task_a.status == TaskStatus.IN_PROGRESS


def test_imported_periods_are_not_chased_by_reminders(handed_out):
    cast = handed_out
    actions_cycles.set_report_cycle(by=cast.user("office"), plan=cast.plan, day_of_month=25)
    Task.objects.filter(pk=cast.task_a.pk).update(start=D(2026, 1, 1), assigned_at=JANUARY)
    cast.task_a.refresh_from_db()
    run(cast, xlsx(*WIDE))
    due = outstanding([cast.task_a], D(2026, 3, 31))
    assert [p.start.month for _t, p, _r in due] == [3]  # January and February were imported


def test_a_quarterly_cycle_keeps_the_last_month_of_each_quarter(handed_out):
    cast = handed_out
    actions_cycles.set_report_cycle(
        by=cast.user("office"), plan=cast.plan, frequency="quarterly", due_kind="before_end"
    )
    preview, result = run(cast, xlsx(*WIDE))
    assert result.created == 2
    q1 = ProgressReport.objects.get(task=cast.task_a)
    assert (q1.period_start, q1.period_end, q1.progress) == (D(2026, 1, 1), D(2026, 3, 31), 25)
    assert len(preview.warnings) == 2  # one per task: its earlier month was left out


def test_only_the_office_imports(handed_out):
    cast = handed_out
    with pytest.raises(ImportFailed):
        run(cast, xlsx(*LONG), who="liaison_a")
    assert not ProgressReport.objects.exists()


def test_a_csv_ledger_is_read_too(handed_out):
    cast = handed_out
    text = "编号,任务名称,报送时间,进度(%),进展情况\n1,地区生产总值增长6%左右,2026-03-24,33,完成征地\n"
    run(cast, text.encode("gb18030"), name="台账.csv")
    march = reports(cast.task_a)[3]
    assert march.progress == 33
    assert march.submitted_at.date() == D(2026, 3, 24)


def test_a_file_without_a_ledger_says_what_it_needs(handed_out):
    preview = read_preview("x.xlsx", xlsx(["姓名", "电话"], ["张三", "123"]), handed_out.plan)
    (message,) = preview.errors
    assert "编号" in message


def test_the_command_imports_and_its_dry_run_does_not(handed_out, ledger_file, capsys):
    path = ledger_file(xlsx(*LONG))
    call_command("import_reports", str(path), "--plan", "2026", "--dry-run", "--by", "office")
    assert "dry run" in capsys.readouterr().out
    assert not ProgressReport.objects.exists()
    call_command("import_reports", str(path), "--plan", "2026", "--by", "office")
    assert ProgressReport.objects.filter(imported=True).count() == 3


def test_the_command_lists_the_row_errors_and_writes_nothing(handed_out, ledger_file):
    path = ledger_file(xlsx(*LONG, ["3.4", "", "2026年3月", 30, "进展"]))
    with pytest.raises(CommandError) as failure:
        call_command("import_reports", str(path), "--plan", "2026")
    assert "nothing was imported" in str(failure.value) and "3.4" in str(failure.value)
    assert not ProgressReport.objects.exists()


def test_the_command_acts_as_the_system_account_by_default(handed_out, ledger_file):
    call_command("import_reports", str(ledger_file(xlsx(*LONG))), "--plan", "2026")
    report = ProgressReport.objects.first()
    assert report.history.first().history_user.username == "tongtui-system"
