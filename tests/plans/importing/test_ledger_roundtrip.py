"""An exported ledger (台账) imports back onto the same tasks."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from tongtui.plans import actions
from tongtui.plans.importing.apply import apply_book, read_book
from tongtui.plans.importing.book import Options
from tongtui.plans.ledger import HEADERS, write_ledger
from tongtui.plans.models import Task


def ledger_bytes(plan) -> bytes:
    buffer = io.BytesIO()
    write_ledger(plan, Task.objects.all(), buffer, exported_on=datetime.date(2026, 5, 1))
    return buffer.getvalue()


def richer_plan(district):
    """The cast's plan with a child task, milestones (one in the next year), a goal and a post-only deadline."""
    cast, office = district.cast, district.cast.user("office")
    actions.update_task(
        cast.task_a,
        by=office,
        goal="全年增长6%",
        measures="抓项目、稳投资",
        source="meeting",
        weight=Decimal("2.5"),
    )
    actions.add_milestone(
        cast.task_a, by=office, title="完成立项", due=datetime.date(2026, 3, 31), planned_progress=Decimal(30)
    )
    actions.add_milestone(
        cast.task_a,
        by=office,
        title="竣工投用",
        due=datetime.date(2027, 3, 31),
        planned_progress=Decimal(100),
    )
    actions.create_task(
        by=office,
        plan=cast.plan,
        code="1-1",
        title="推进重大项目",
        parent=cast.task_a,
        lead_unit=district.zjj,
        leader=district.xu,
        owner=cast.owner,
        deadline_text="持续推进",
        co_units=[district.czj, district.donghu],
    )
    actions.assign_task(cast.task_c, by=office)
    actions.record_progress(cast.task_c, by=office, progress=Decimal(40), note="完成年度目标的40%")
    return cast.plan


def test_the_ledger_has_the_agreed_headers_under_a_title_row(district):
    sheet = load_workbook(io.BytesIO(ledger_bytes(richer_plan(district)))).active
    assert [c.value for c in sheet[2]] == list(HEADERS)


def test_an_exported_ledger_imports_back_unchanged(district):
    plan = richer_plan(district)
    data = ledger_bytes(plan)
    book = read_book("ledger.xlsx", data, Options(year=2026), plan=plan)
    assert book.ok, book.all_errors
    assert [(r.code, r.action) for r in book.rows] == [
        ("1", "unchanged"),
        ("1-1", "unchanged"),
        ("2", "unchanged"),
    ]
    assert book.ignored_columns == [
        "序号",
        "最新进展",
        "存在问题",
        "下步计划",
        "进度(%)",
        "进展日期",
        "状态",
        "亮灯",
        "亮灯原因",
    ]
    history = sum(t.history.count() for t in plan.tasks.all())
    result = apply_book(book, year=2026, by=district.cast.user("office"), filename="ledger.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert sum(t.history.count() for t in plan.tasks.all()) == history


def test_an_edited_ledger_updates_the_same_tasks(district):
    plan = richer_plan(district)
    workbook = load_workbook(io.BytesIO(ledger_bytes(plan)))
    sheet = workbook.active
    column = {c.value: c.column for c in sheet[2]}
    sheet.cell(3, column["重点任务"], "地区生产总值增长6.5%左右")
    sheet.cell(4, column["时间节点"], "6月30日前完成前期(50%);\n12月31日前开工(100%)")
    sheet.cell(5, column["最新进展"], "这一列不导入")
    new_row = {
        "编号": "3",
        "板块": "产业转型升级",
        "重点任务": "新增任务",
        "牵头单位": "区发改局",
        "责任领导": "王副区长",
        "责任人": "陈责任",
        "完成时限": datetime.date(2026, 9, 30),
    }
    sheet.append([new_row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = read_book("ledger.xlsx", buffer.getvalue(), Options(year=2026), plan=plan)
    assert [(r.code, r.action) for r in book.rows] == [
        ("1", "update"),
        ("1-1", "update"),
        ("2", "unchanged"),
        ("3", "create"),
    ]
    apply_book(book, year=2026, by=district.cast.user("office"), filename="ledger.xlsx")
    district.cast.task_a.refresh_from_db()
    assert district.cast.task_a.title == "地区生产总值增长6.5%左右"
    child = plan.tasks.get(code="1-1")
    assert child.parent == district.cast.task_a and child.deadline_text == "持续推进"
    assert [(m.title, m.planned_progress) for m in child.milestones.order_by("seq")] == [
        ("完成前期", Decimal(50)),
        ("开工", Decimal(100)),
    ]
    new = plan.tasks.get(code="3")
    assert (new.lead_unit, new.leader, new.owner, new.due) == (
        district.fgj,
        district.cast.leader,
        district.cast.owner,
        datetime.date(2026, 9, 30),
    )
    assert plan.tasks.count() == 4
