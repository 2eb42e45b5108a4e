"""The mid-year switch: `import_tasks FILE --plan YEAR --assigned-on DATE` imports every complete task as
assigned and acknowledged on DATE, as assign_task and acknowledge_task would have written it then, with the
history dated DATE; incomplete tasks stay drafts and are listed."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tongtui.core.workdays import add_workdays
from tongtui.plans.models import CoUnit, Task, TaskStatus

D = datetime.date
JULY_FIRST = datetime.datetime(2026, 7, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
BOOK = """序号,重点任务,牵头单位,配合单位,责任领导,责任人
11,推进企业上市,区财政局,区税务局、各街道,叶枝利区长,陈责任
12,优化营商环境,区发改局,,徐洪涛常务副区长,局长
13,完成主要经济指标,各主要经济指标牵头单位,,叶枝利区长,陈责任
14,建设养老中心,区民政局,,,陈责任
"""


def run(path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_tasks", str(path), "--plan", "2026", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text(BOOK, encoding="utf-8")
    return path


def test_complete_tasks_are_assigned_and_acknowledged_on_the_day(district, book):
    out = run(book, "--assigned-on", "2026-07-01", "--by", "office", "--create-units")
    assert "2 tasks assigned and acknowledged on 2026-07-01." in out
    assert "13: lead unit" in out and "14: responsible leader" in out
    tasks = {t.code: t for t in Task.objects.filter(plan__year=2026, code__in=["11", "12", "13", "14"])}
    for code in ("11", "12"):
        task = tasks[code]
        assert task.status == TaskStatus.ACKNOWLEDGED
        assert task.assigned_at == JULY_FIRST and task.lead_acknowledged_at == JULY_FIRST
        assert task.ack_due == add_workdays(D(2026, 7, 1), task.plan.acknowledge_workdays)
    assert sorted(t.assignment_no for t in (tasks["11"], tasks["12"])) == [1, 2]
    assert tasks["12"].owner == district.cast.head_a  # 局长 of the lead unit
    assert (tasks["13"].status, tasks["14"].status) == (TaskStatus.DRAFT, TaskStatus.DRAFT)
    assert tasks["13"].assignment_no is None and tasks["13"].assigned_at is None
    links = CoUnit.objects.filter(task=tasks["11"])
    assert links.count() == 4 and {link.acknowledged_at for link in links} == {JULY_FIRST}


def test_the_history_is_dated_the_day_of_the_switch(district, book):
    run(book, "--assigned-on", "2026-07-01", "--by", "office")
    task = Task.objects.get(plan__year=2026, code="12")
    rows = list(task.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.status) for r in rows] == [("+", "draft"), ("~", "acknowledged")]
    assert {r.history_date for r in rows} == {JULY_FIRST}
    assert {r.history_user for r in rows} == {district.cast.user("office")}
    draft = Task.objects.get(plan__year=2026, code="14")
    assert draft.history.get().history_date == JULY_FIRST  # created then too: it existed on paper


def test_a_dry_run_lists_what_the_switch_would_do(district, book):
    out = run(book, "--assigned-on", "2026-07-01", "--dry-run")
    assert "The mid-year switch: 2 tasks to assign and acknowledge on 2026-07-01." in out
    assert "13: lead unit" in out
    assert not Task.objects.filter(plan__year=2026, code="11").exists()


def test_running_it_again_assigns_nothing_twice(district, book):
    run(book, "--assigned-on", "2026-07-01")
    task = Task.objects.get(plan__year=2026, code="11")
    before = task.history.count()
    out = run(book, "--assigned-on", "2026-07-01")
    assert "0 tasks assigned and acknowledged" in out
    task.refresh_from_db()
    assert task.history.count() == before and task.assignment_no in (1, 2)


def test_a_draft_completed_later_is_switched_then_with_its_own_history_order(district, book, tmp_path):
    run(book)  # first imported as drafts, history dated now
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(BOOK.replace("14,建设养老中心,区民政局,,,陈责任", "14,建设养老中心,区民政局,,叶枝利区长,陈责任"), "utf-8")
    out = run(fixed, "--assigned-on", "2026-07-01", "--create-units")
    assert "3 tasks assigned and acknowledged on 2026-07-01." in out
    task = Task.objects.get(plan__year=2026, code="14")
    assert task.status == TaskStatus.ACKNOWLEDGED and task.assigned_at == JULY_FIRST
    latest = task.history.order_by("-history_date", "-history_id").first()
    assert latest.status == "acknowledged"  # dated now, after the draft's own history, not before it


def test_a_date_that_is_no_date_is_refused(district, book):
    with pytest.raises(Exception, match="not a date"):
        run(book, "--assigned-on", "July")
