"""Writing a preview: all or nothing, through the actions, with history naming the file and the actor."""

import datetime
from decimal import Decimal

import pytest

from tests.plans.importing import builder
from tongtui.core.errors import ActionError
from tongtui.orgs.models import Person, Unit
from tongtui.plans import actions_bulk
from tongtui.plans.importing import apply as importer
from tongtui.plans.importing.apply import ImportFailed, apply_book
from tongtui.plans.models import Category, Milestone, Plan, Task

D = datetime.date


def csv_text(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def counts() -> tuple[int, int, int, int, int]:
    return (
        Plan.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
        Category.objects.count(),
    )


def test_the_real_world_book_imports_in_full(district, preview, tmp_path):
    grid = builder.table(builder.realworld_rows())
    data = builder.write_xlsx(tmp_path / "book.xlsx", grid).read_bytes()
    book = preview("book.xlsx", data, year=2027, create_units=True)
    assert book.ok, book.all_errors[:3]
    office = district.cast.user("office")
    result = apply_book(book, year=2027, by=office, filename="book.xlsx")
    plan = Plan.objects.get(year=2027)
    assert result.created == 127 == plan.tasks.count()
    assert result.units == len(book.new_units) > 50
    haishu = plan.tasks.get(title="一般公共预算收入增长6%。")
    assert haishu.leader == district.ye  # 叶枝利区长, matched by name
    daju = plan.tasks.get(title="开工建设老年大学。")
    assert daju.parent.title == "开工建设县老年养护楼。" and daju.code == daju.parent.code + "-1"
    row = haishu.history.latest()
    assert (row.history_user, row.history_change_reason) == (office, "import book.xlsx")
    new_unit = Unit.objects.get(name="海曙生态环境分局")
    assert new_unit.history.latest().history_change_reason == "import book.xlsx"


def test_one_bad_row_writes_nothing_and_names_the_row(district, preview):
    before = counts()
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,配合单位,责任领导",
            "1,任务甲,区发改局,区财政局,刘新人",
            "2,任务乙,区发改委,,",
            "3,任务丙,区金融局,,",
            "4,任务丁,区财政局,新单位甲,",
        ),
        year=2028,
    )
    assert not book.ok
    with pytest.raises(ImportFailed) as exc:
        apply_book(book, year=2028, by=district.cast.user("office"), filename="b.csv")
    assert exc.value.messages == [
        "Row 5: co-unit “新单位甲” matches no unit: choose a unit for it, create it, or leave it out."
    ]  # the unknown lead 区金融局 in row 4 is no error: that task would be a draft
    assert counts() == before  # not the plan, not the person 刘新人, not a task


def test_a_failure_while_writing_rolls_everything_back(district, preview, monkeypatch):
    before = counts()
    book = preview(
        "b.csv",
        csv_text(
            "板块,序号,重点任务,牵头单位,责任领导,时间节点",
            "新板块,1,任务甲,区发改局,刘新人,3月底前完成立项;6月底前开工",
            "新板块,2,任务乙,区新局,,",
            "新板块,3,任务丙,区财政局,,",
        ),
        year=2028,
        create_units=True,
    )
    assert book.ok
    real = actions_bulk.bulk_create_with_history
    written = []

    def failing_on_milestones(objs, model, **kwargs):
        if model is Milestone:
            raise ActionError("the database said no")
        written.append(model)
        return real(objs, model, **kwargs)

    monkeypatch.setattr(actions_bulk, "bulk_create_with_history", failing_on_milestones)
    with pytest.raises(ImportFailed) as exc:
        apply_book(book, year=2028, by=district.cast.user("office"), filename="b.csv")
    assert exc.value.messages == ["the database said no"]
    assert Task in written  # the tasks were inserted before the failure
    assert counts() == before
    assert not Milestone.objects.filter(title="完成立项").exists()


def test_reimporting_updates_by_code_instead_of_duplicating(district, preview):
    office = district.cast.user("office")
    first = csv_text(
        "序号,重点任务,牵头单位,配合单位,完成时限,时间节点",
        "1,建成养老中心,区住建局,区财政局,12月底前,3月底前完成立项;6月底前开工建设;12月底前竣工投用",
        "2,新建人行天桥,区住建局,,9月投入使用,",
    )
    apply_book(preview("b.csv", first, year=2028), year=2028, by=office, filename="b.csv")
    plan = Plan.objects.get(year=2028)
    task = plan.tasks.get(code="1")
    assert [(m.title, m.due, m.planned_progress) for m in task.milestones.order_by("seq")] == [
        ("完成立项", D(2028, 3, 31), Decimal("33.33")),
        ("开工建设", D(2028, 6, 30), Decimal("66.67")),
        ("竣工投用", D(2028, 12, 31), Decimal("100.00")),
    ]
    again = preview("b.csv", first, year=2028)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]
    history_before = task.history.count()
    result = apply_book(again, year=2028, by=office, filename="b.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert task.history.count() == history_before

    changed = csv_text(
        "序号,重点任务,牵头单位,配合单位,完成时限,时间节点",
        "1,建成区养老服务中心,区住建局,区人社局,12月底前,3月底前完成立项(20%);12月底前竣工投用",
    )
    book = preview("b2.csv", changed, year=2028)
    assert book.rows[0].action == "update"
    result = apply_book(book, year=2028, by=office, filename="b2.csv")
    assert (result.created, result.updated) == (0, 1)
    task.refresh_from_db()
    assert plan.tasks.count() == 2
    assert task.title == "建成区养老服务中心"
    assert list(task.co_units.all()) == [district.rsj]
    assert [(m.title, m.planned_progress) for m in task.milestones.order_by("seq")] == [
        ("完成立项", Decimal(20)),
        ("竣工投用", Decimal(100)),
    ]
    latest = task.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (office, "import b2.csv")


def test_blank_cells_leave_a_tasks_values_as_they_are(district, preview):
    cast = district.cast
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位,责任领导", "1,地区生产总值增长6%左右(更新),,"), year=2026
    )
    row = book.rows[0]
    assert row.action == "update" and row.changes == ["title"]
    assert not any("cannot be assigned" in w for w in row.warnings)  # the task already has all three
    apply_book(book, year=2026, by=cast.user("office"), filename="b.csv")
    cast.task_a.refresh_from_db()
    assert cast.task_a.lead_unit == cast.unit_a and cast.task_a.leader == cast.leader
    assert list(cast.task_a.co_units.all()) == [cast.unit_c]


def test_mapped_and_created_units_people_and_categories(district, preview):
    office = district.cast.user("office")
    book = preview(
        "b.csv",
        csv_text(
            "板块,序号,重点任务,牵头单位,配合单位,责任领导,责任人",
            "营商环境,1,推进企业上市,区金融局,区证监办,王新区长,李新",
        ),
        year=2028,
        mapping={"区金融局": f"unit:{district.jrb.pk}", "区证监办": "create"},
    )
    assert book.ok
    apply_book(book, year=2028, by=office, filename="b.csv")
    task = Task.objects.get(plan__year=2028, code="1")
    assert task.lead_unit == district.jrb
    assert [u.name for u in task.co_units.all()] == ["区证监办"]
    assert (task.leader.name, task.leader.title) == ("王新", "区长")
    assert task.owner.name == "李新"
    assert task.category.name == "营商环境"


def test_only_the_office_can_import(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位", "1,任务甲,区发改局"), year=2026)
    before = counts()
    with pytest.raises(ImportFailed):
        apply_book(book, year=2026, by=district.cast.user("head_a"), filename="b.csv")
    assert counts() == before


def test_a_staged_import_is_applied_once(district):
    cast = district.cast
    staged = importer.stage(
        plan=cast.plan,
        by=cast.user("office"),
        filename="",
        content=b"",
        pasted_text="9.新任务 牵头单位:区发改局",
        lead_rule="first",
        create_units=False,
    )
    result = importer.confirm(staged, by=cast.user("office"))
    assert result.created == 1
    staged.refresh_from_db()
    assert staged.applied_at is not None and staged.summary["created"] == 1
    with pytest.raises(ImportFailed):
        importer.confirm(staged, by=cast.user("office"))
    assert cast.plan.tasks.filter(code="9").count() == 1
