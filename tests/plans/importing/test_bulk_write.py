"""The bulk write path of an import (actions_bulk.create_tasks): the same rows and history as the per-row actions,
the office only, nothing written when one row is invalid, the roll-up of parents once at the end."""

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.plans.importing import builder
from tongtui.core.errors import Conflict, Forbidden
from tongtui.orgs.models import Person, Unit
from tongtui.plans import actions, actions_bulk
from tongtui.plans.actions_bulk import TaskDraft
from tongtui.plans.importing.apply import ImportFailed, _ordered, _Writer, apply_book
from tongtui.plans.models import Category, CoUnit, Indicator, Milestone, Plan, Task

D = datetime.date
ROLLED_UP = "progress rolled up from sub-tasks"


class Undo(Exception):
    pass


def snapshot(year: int) -> dict[str, Any]:
    """Everything an import writes for a plan year, by natural keys (codes and names, not ids)."""
    tasks = {t.pk: t for t in Task.objects.filter(plan__year=year).select_related("parent", "category")}
    units = {u.pk: u.name for u in Unit.objects.all()}
    people = {p.pk: (p.name, p.title) for p in Person.objects.all()}
    code = {pk: t.code for pk, t in tasks.items()}
    fields = ("title", "goal", "measures", "deliverables", "start", "due", "deadline_text", "weight")
    rows = {
        t.code: (
            *(getattr(t, f) for f in fields),
            *(t.source, t.is_public, t.status, t.progress, t.version, t.note),
            t.parent.code if t.parent else None,
            t.category.name if t.category else None,
            units.get(t.lead_unit_id),  # type: ignore[arg-type]
            people.get(t.leader_id),  # type: ignore[arg-type]
            people.get(t.owner_id),  # type: ignore[arg-type]
        )
        for t in tasks.values()
    }
    links = sorted((code[c.task_id], units[c.unit_id]) for c in CoUnit.objects.filter(task_id__in=tasks))
    steps = sorted(
        (code[m.task_id], m.seq, m.title, m.due, m.planned_progress)
        for m in Milestone.objects.filter(task_id__in=tasks)
    )

    def history(model: Any, key: Any) -> Counter:
        return Counter(
            (key(h), h.history_type, h.history_user.username, h.history_change_reason)
            for h in model.history.filter(**{"id__in" if model is Task else "task_id__in": list(tasks)})
        )

    return {
        "tasks": rows,
        "co_units": links,
        "milestones": steps,
        "task_history": history(Task, lambda h: code[h.id]),
        "co_unit_history": history(CoUnit, lambda h: (code[h.task_id], units[h.unit_id])),
        "milestone_history": history(Milestone, lambda h: (code[h.task_id], h.seq)),
        "categories": sorted(Category.objects.filter(plan__year=year).values_list("name", "order")),
        "new_units": sorted(
            Unit.history.filter(history_type="+", history_change_reason__startswith="import").values_list(
                "name", "kind", "history_user__username"
            )
        ),
    }


def per_row(book: Any, year: int, by: Any, filename: str) -> None:
    """The import as it was written before the bulk path: one action call per row."""
    with transaction.atomic():
        plan = Plan.objects.filter(year=year).first() or actions.create_plan(by=by, year=year)
        writer = _Writer(book, plan, by, f"import {filename}")
        writer.prepare()
        for row in _ordered(book.rows):
            writer.write(row)


def realistic_book(district: Any, preview: Any, tmp_path: Any, revised: bool = False) -> Any:
    """The 127 real-world rows with a schedule on two rows in three; revised: a third of the rows retitled,
    a third with other co-units, schedules shortened or lengthened."""
    grid = builder.table(builder.realworld_rows())
    grid[0] += ["时间节点"]
    for i, line in enumerate(grid[1:], start=1):
        if line[0].startswith("\x00"):
            continue
        line.append("3月底前完成立项;6月底前开工建设;12月底前竣工投用" if i % 3 else "")
        if revised and i % 3 == 0:
            line[1] += "(修订)"
        if revised and i % 3 == 1:
            line[3] = "区财政局、区卫健局"
        if revised and i % 4 == 0:
            line[-1] = (
                "6月底前开工建设" if i % 8 else "2月底前完成设计;3月底前完成立项;6月底前开工;12月底前投用"
            )
    name = "book2.xlsx" if revised else "book.xlsx"
    data = builder.write_xlsx(tmp_path / name, grid).read_bytes()
    book = preview(name, data, year=2027, create_units=True)
    assert book.ok, book.all_errors[:3]
    return book


def test_the_bulk_path_writes_what_the_per_row_path_wrote(district, preview, tmp_path):
    office = district.cast.user("office")
    book = realistic_book(district, preview, tmp_path)
    with pytest.raises(Undo):
        with transaction.atomic():
            per_row(book, 2027, office, "book.xlsx")
            expected = snapshot(2027)
            raise Undo
    assert not Plan.objects.filter(year=2027).exists()

    result = apply_book(
        realistic_book(district, preview, tmp_path), year=2027, by=office, filename="book.xlsx"
    )
    got = snapshot(2027)
    assert result.created == len(got["tasks"]) == 127
    assert sum(1 for t in got["tasks"].values() if t[-5]) > 0  # some tasks have a parent
    assert len(got["co_units"]) > 50 and len(got["milestones"]) > 150 and got["new_units"]
    for part in expected:
        assert got[part] == expected[part], part
    users_and_reasons = {(user, reason) for _key, _type, user, reason in got["task_history"]}
    assert users_and_reasons == {("office", "import book.xlsx")}
    assert set(Counter(h[1] for h in got["milestone_history"])) == {"+"}


def test_a_revised_book_changes_what_the_per_row_path_changed(district, preview, tmp_path):
    office = district.cast.user("office")
    apply_book(realistic_book(district, preview, tmp_path), year=2027, by=office, filename="book.xlsx")
    revised = realistic_book(district, preview, tmp_path, revised=True)
    assert Counter(r.action for r in revised.rows)["update"] > 80
    with pytest.raises(Undo):
        with transaction.atomic():
            per_row(revised, 2027, office, "book2.xlsx")
            expected = snapshot(2027)
            raise Undo

    result = apply_book(
        realistic_book(district, preview, tmp_path, revised=True), year=2027, by=office, filename="book2.xlsx"
    )
    got = snapshot(2027)
    assert result.updated > 80
    for part in expected:
        assert got[part] == expected[part], part
    kinds = Counter(
        (h[1], h[3]) for part in ("co_unit_history", "milestone_history") for h in got[part].elements()
    )
    assert kinds[("-", "import book2.xlsx")] > 10 and kinds[("~", "import book2.xlsx")] > 10
    assert {h[2] for h in got["co_unit_history"]} == {"office"}


def test_only_the_office_may_write_in_bulk(district):
    cast = district.cast
    draft = TaskDraft(ref="1", fields={"code": "9", "title": "新任务", "lead_unit": cast.unit_a})
    before = Task.objects.count()
    with pytest.raises(Forbidden):
        actions_bulk.create_tasks(
            by=cast.user("head_a"), plan=cast.plan, drafts=[draft], reason="import b.csv"
        )
    assert Task.objects.count() == before


def test_one_invalid_row_writes_nothing_and_every_bad_row_is_named(district, preview):
    before = (Task.objects.count(), Unit.objects.count(), Category.objects.count(), Milestone.objects.count())
    lines = [
        "板块,序号,重点任务,牵头单位,时间节点",
        "新板块,1,任务甲,区新局,3月底前完成立项;6月底前开工",
        "新板块,2,任务乙,区发改局,",
        "新板块,3,任务丙,区财政局,",
        "新板块,4,任务丁,区财政局,",
    ]
    book = preview("b.csv", ("\n".join(lines) + "\n").encode(), year=2028, create_units=True)
    assert book.ok
    book.rows[2].weight = Decimal(-1)  # what the preview does not check, the model does
    book.rows[3].start, book.rows[3].due = D(2028, 6, 1), D(2028, 3, 1)
    with pytest.raises(ImportFailed) as exc:
        apply_book(book, year=2028, by=district.cast.user("office"), filename="b.csv")
    assert exc.value.messages == [
        "Row 4: Ensure this value is greater than or equal to 0.",
        "Row 5: The due date is before the start date.",
    ]
    after = (Task.objects.count(), Unit.objects.count(), Category.objects.count(), Milestone.objects.count())
    assert after == before
    assert not Plan.objects.filter(year=2028).exists()


def test_batch_validation_applies_the_models_rules(district):
    cast = district.cast
    other_year = actions.create_category(
        actions.create_plan(by=cast.user("office"), year=2027), "别年", by=cast.user("office")
    )
    drafts = [
        TaskDraft(ref="2", fields={"code": "1", "title": "与已有任务同号"}),  # cast.task_a is "1"
        TaskDraft(ref="3", fields={"code": "7", "title": "甲", "start": D(2026, 6, 1), "due": D(2026, 3, 1)}),
        TaskDraft(ref="4", fields={"code": "7", "title": "同批同号"}),
        TaskDraft(
            ref="5",
            fields={"code": "8", "title": "乙"},
            milestones=[{"title": "节点", "due": D(2026, 3, 31), "planned_progress": Decimal(120), "seq": 1}],
        ),
        TaskDraft(ref="6", fields={"code": "9", "title": "丙", "lead_unit": Unit(pk=999999, name="x")}),
        TaskDraft(ref="7", fields={"code": "10", "title": "丁", "category": other_year}),
    ]
    before = Task.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions_bulk.create_tasks(
            by=cast.user("office"), plan=cast.plan, drafts=drafts, reason="import b.csv"
        )
    errors = exc.value.message_dict
    assert set(errors) == {"2", "3", "4", "5", "6", "7"}
    assert errors["2"] == errors["4"] == ["Key task with this Plan and Code already exists."]
    assert errors["3"] == ["The due date is before the start date."]
    assert errors["5"] == ["Ensure this value is less than or equal to 100."]
    assert errors["6"] == ["unit instance with id 999999 is not a valid choice."]
    assert errors["7"] == ["The category belongs to another plan year."]
    assert Task.objects.count() == before


def test_parents_roll_up_once_from_the_new_sub_tasks(district):
    cast = district.cast
    office = cast.user("office")
    top = actions.create_task(by=office, plan=cast.plan, code="5", title="总任务")
    mid = actions.create_task(by=office, plan=cast.plan, code="5-1", title="分项", parent=top)
    done = actions.create_task(by=office, plan=cast.plan, code="5-1-1", title="已完成子项", parent=mid)
    Task.objects.filter(pk=done.pk).update(progress=Decimal(90))
    actions.recompute_rollup(mid, by=office)
    mid.refresh_from_db()
    top.refresh_from_db()
    assert (mid.progress, top.progress) == (Decimal(90), Decimal(90))
    counts = (mid.history.count(), top.history.count())

    new = TaskDraft(ref="2", fields={"code": "5-1-2", "title": "新子项", "weight": Decimal(2)}, parent=mid)
    drafts = [
        TaskDraft(
            ref="3", fields={"code": "5-1-2-1", "title": "新孙项"}, parent=new
        ),  # listed before its parent
        new,
        TaskDraft(ref="4", fields={"code": "5-1-3", "title": "新子项二"}, parent=mid),
    ]
    created = actions_bulk.create_tasks(by=office, plan=cast.plan, drafts=drafts, reason="import b.csv")
    assert [t.parent_id for t in created] == [created[1].pk, mid.pk, mid.pk]
    assert [t.history.get().parent_id for t in created] == [created[1].pk, mid.pk, mid.pk]
    mid.refresh_from_db()
    top.refresh_from_db()
    assert mid.progress == Decimal("22.50")  # (1 × 90 + 2 × 0 + 1 × 0) / 4
    assert top.progress == Decimal("22.50")
    assert (mid.history.count(), top.history.count()) == (counts[0] + 1, counts[1] + 1)
    for task in (mid, top):
        latest = task.history.latest()
        assert (latest.history_user, latest.history_change_reason, latest.progress) == (
            office,
            ROLLED_UP,
            Decimal("22.50"),
        )


def test_co_units_milestones_and_indicators_get_history_naming_the_actor_and_file(district):
    cast = district.cast
    office = cast.user("office")
    draft = TaskDraft(
        ref="2",
        fields={"code": "9", "title": "新任务", "lead_unit": cast.unit_a},
        co_units=[cast.unit_a, cast.unit_c, cast.unit_b, cast.unit_c],  # the lead and a repeat are dropped
        milestones=[{"title": "完成立项", "due": D(2026, 3, 31), "planned_progress": Decimal(50), "seq": 1}],
        indicators=[{"name": "完成投资", "target": Decimal(10), "unit_of_measure": "亿元"}],
    )
    (task,) = actions_bulk.create_tasks(by=office, plan=cast.plan, drafts=[draft], reason="import b.csv")
    assert sorted(task.co_units.values_list("pk", flat=True)) == sorted([cast.unit_b.pk, cast.unit_c.pk])
    rows = [
        *task.history.all(),
        *CoUnit.history.filter(task_id=task.pk),
        *Milestone.history.filter(task_id=task.pk),
        *Indicator.history.filter(task_id=task.pk),
    ]
    assert len(rows) == 5
    assert {(h.history_type, h.history_user, h.history_change_reason) for h in rows} == {
        ("+", office, "import b.csv")
    }


def test_the_number_of_queries_does_not_grow_with_the_rows(district):
    cast = district.cast
    office = cast.user("office")

    def queries(first: int, n: int) -> int:
        drafts = [
            TaskDraft(
                ref=str(i),
                fields={"code": f"{i}", "title": f"任务{i}", "lead_unit": cast.unit_a, "leader": cast.leader},
                co_units=[cast.unit_c],
                milestones=[
                    {"title": "节点", "due": D(2026, 6, 30), "planned_progress": Decimal(50), "seq": 1}
                ],
            )
            for i in range(first, first + n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            actions_bulk.create_tasks(by=office, plan=cast.plan, drafts=drafts, reason="import b.csv")
        return len(ctx.captured_queries)

    few, many = queries(100, 5), queries(200, 90)
    assert many < 30 and many - few <= 6  # a few more batches, never a query per row (39 per task before)


def test_a_task_saved_by_someone_else_meanwhile_stops_the_whole_batch(district):
    cast = district.cast
    office = cast.user("office")
    stale = Task.objects.get(pk=cast.task_a.pk)
    actions.update_task(cast.task_a, by=office, title="别人刚改过")
    changes = [
        actions_bulk.TaskChange(ref="2", task=Task.objects.get(pk=cast.task_c.pk), fields={"title": "改乙"}),
        actions_bulk.TaskChange(ref="3", task=stale, fields={"title": "改甲"}, co_units=[cast.unit_b]),
    ]
    history = Task.history.count()
    with pytest.raises(Conflict):
        actions_bulk.update_tasks(by=office, changes=changes, reason="import b.csv")
    assert Task.history.count() == history
    assert set(Task.objects.values_list("title", flat=True)) >= {"别人刚改过", "一般公共预算收入增长5%"}
    assert list(cast.task_a.co_units.all()) == [cast.unit_c]


def test_only_the_office_may_change_tasks_in_bulk(district):
    cast = district.cast
    change = actions_bulk.TaskChange(ref="2", task=cast.task_a, fields={"title": "改甲"})
    with pytest.raises(Forbidden):
        actions_bulk.update_tasks(by=cast.user("head_a"), changes=[change], reason="import b.csv")
    cast.task_a.refresh_from_db()
    assert cast.task_a.title == "地区生产总值增长6%左右"
