"""The bulletin's text from its facts, without the database."""

import datetime
from decimal import Decimal

from tongtui.publicity.compose import (
    COMPLETED,
    LAGGING,
    ON_TRACK,
    Facts,
    RankFact,
    ReportFact,
    TaskFact,
    bucket,
    sections,
    share,
    span,
    title,
)

D = datetime.date


def task(code: str, light: str | None, closed: bool = False, reasons=(), severity=()) -> TaskFact:
    return TaskFact(code, f"任务{code}", f"单位{code}", closed, light, tuple(reasons), tuple(severity))


def facts(*tasks: TaskFact, **kw) -> Facts:
    return Facts("重点工作", D(2026, 1, 1), D(2026, 6, 30), list(tasks), **kw)


def test_a_task_is_done_lagging_or_on_track():
    assert bucket(task("1", "green", closed=True)) == COMPLETED
    assert bucket(task("1", "blue")) == COMPLETED
    assert bucket(task("1", "red")) == LAGGING and bucket(task("1", "yellow")) == LAGGING
    assert bucket(task("1", "green")) == ON_TRACK and bucket(task("1", None)) == ON_TRACK


def test_shares_have_one_decimal_rounded_half_up():
    assert share(1, 8) == "12.5%" and share(1, 3) == "33.3%" and share(2, 3) == "66.7%"
    assert share(4, 4) == "100%" and share(0, 0) == "0%"


def test_the_period_reads_as_offices_write_it():
    assert span(D(2026, 1, 1), D(2026, 6, 30)) == "2026年1—6月"
    assert span(D(2026, 5, 1), D(2026, 5, 31)) == "2026年5月"
    assert span(D(2026, 1, 15), D(2026, 6, 30)) == "2026年1月15日至2026年6月30日"
    assert title(facts()) == "关于2026年1—6月重点工作推进情况的通报"


def test_the_overview_counts_by_status_and_light_with_shares():
    text = sections(facts(task("1", "red"), task("2", "yellow"), task("3", "green"), task("4", "blue"),
                          task("5", None)))["overview"]  # fmt: skip
    assert "共5项任务" in text
    assert "已完成1项、占20%，达序时进度2项、占40%，滞后序时进度2项、占40%" in text
    assert "红灯1项（20%），黄灯1项（20%），绿灯1项（20%），蓝灯1项（20%），尚未亮灯1项（20%）" in text


def test_lagging_tasks_are_named_worst_first_with_lead_and_reasons():
    text = sections(facts(
        task("1", "yellow", reasons=["进度落后计划10个百分点。"], severity=(2, 1, 0, 10)),
        task("2", "red", reasons=["逾期5天。", "连续2期未报送。"], severity=(3, 2, 5, 0)),
        task("3", "green"),
    ))["lagging"]  # fmt: skip
    lines = text.splitlines()
    assert lines[0].startswith("滞后序时进度2项")
    assert lines[1] == "1．2 任务2（牵头单位：单位2，红灯）：逾期5天；连续2期未报送。"
    assert lines[2] == "2．1 任务1（牵头单位：单位1，黄灯）：进度落后计划10个百分点。"


def test_units_with_late_or_returned_reports_are_listed():
    text = sections(facts(reports=[ReportFact("甲局", 2, 1), ReportFact("乙局", 0, 1)]))["reports"]
    assert text.splitlines()[1:] == ["1．甲局：逾期报送2次，被退回1次", "2．乙局：被退回1次"]
    assert sections(facts())["reports"] == "本期各单位均按时报送进展情况。"


def test_rankings_print_only_when_given():
    assert sections(facts())["rankings"] == ""
    ranked = facts(ranking_period="2026-Q2",
                   rankings=[RankFact("镇街", ((1, "甲镇", Decimal("98.5")), (1, "乙镇", Decimal("98.5")),
                                               (3, "丙镇", Decimal("90"))))])  # fmt: skip
    text = sections(ranked)["rankings"]
    assert "2026-Q2" in text and "第1名甲镇（98.5分）；第1名乙镇（98.5分）；第3名丙镇（90分）" in text


def test_practices_are_empty_when_none_was_published():
    assert sections(facts(task("1", "green")))["practices"] == ""
