"""The exported ledger (台账) writes what the document said, and the importer reads it back onto the same tasks
with no change: a lead kept as written, unit groups as written beside the co-units named on their own, posts
by their label, people kept as written, extended dates with their original beside them."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.ledger.conftest import rows_of
from tests.plans.importing.conftest import district  # noqa: F401  (the fixture)
from tongtui.orgs.models import Post, Unit
from tongtui.plans import actions
from tongtui.plans.actions_groups import add_co_group, get_or_create_post
from tongtui.plans.importing.apply import apply_book, read_book
from tongtui.plans.importing.book import Options
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Milestone, Task

D = datetime.date


def ledger_bytes(plan) -> bytes:
    buffer = io.BytesIO()
    write_ledger(plan, Task.objects.all(), buffer, exported_on=D(2026, 5, 1))
    return buffer.getvalue()


def as_written_plan(district):  # noqa: F811
    """The cast's plan with tasks as real books leave them: no single lead, groups, posts, text as written."""
    cast, office = district.cast, district.cast.user("office")
    yjj = Unit.objects.create(name="区应急管理局", short_name="区应急局", parent=cast.district)
    post = get_or_create_post(yjj, "负责人", by=office)
    deputy = get_or_create_post(cast.district, "副区长", by=office)  # 王副区长 is one; the office left it open
    draft = actions.create_task(by=office, plan=cast.plan, code="3", title="主要经济指标不低于全市平均水平")
    Task.objects.filter(pk=draft.pk).update(
        lead_text="各主要经济指标牵头单位", owner_text="各镇街主要负责人", leader_text="分管副区长"
    )
    add_co_group(cast.task_a, district.streets, by=office, written="各镇(街道、园区)")
    add_co_group(draft, district.departments, by=office, written="各相关单位")
    Task.objects.filter(pk=cast.task_c.pk).update(owner=None, owner_post=post, leader=None, leader_post=deputy)
    Task.objects.filter(pk=cast.task_a.pk).update(due=D(2026, 12, 31), original_due=D(2026, 9, 30))
    actions.add_milestone(cast.task_a, by=office, title="开工建设", due=D(2026, 6, 30), planned_progress=Decimal(50))
    Milestone.objects.filter(task=cast.task_a).update(original_due=D(2026, 5, 31))
    return cast.plan


def test_the_ledger_writes_what_the_document_said(district):  # noqa: F811
    plan = as_written_plan(district)
    rows = {r["编号"]: r for r in rows_of(load_workbook(io.BytesIO(ledger_bytes(plan))).active)}
    assert rows["3"]["牵头单位"] == "各主要经济指标牵头单位"
    assert rows["3"]["配合单位"] == "各相关单位"
    assert (rows["3"]["责任领导"], rows["3"]["责任人"]) == ("分管副区长", "各镇街主要负责人")
    assert rows["1"]["配合单位"] == "各镇(街道、园区)、区财政局"  # the group as written, then who no group brought
    assert (rows["2"]["责任领导"], rows["2"]["责任人"]) == ("区政府副区长", "区应急局负责人")
    assert rows["1"]["完成时限"] == "2026-12-31(原定2026-09-30)"


def test_an_exported_ledger_with_groups_posts_and_text_imports_back_unchanged(district):  # noqa: F811
    plan = as_written_plan(district)
    posts = Post.objects.count()
    book = read_book("ledger.xlsx", ledger_bytes(plan), Options(year=2026), plan=plan)
    assert book.ok, book.all_errors
    assert [(r.code, r.action) for r in book.rows] == [("1", "unchanged"), ("2", "unchanged"), ("3", "unchanged")]
    history = sum(t.history.count() for t in plan.tasks.all())
    result = apply_book(book, year=2026, by=district.cast.user("office"), filename="ledger.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert sum(t.history.count() for t in plan.tasks.all()) == history
    assert Post.objects.count() == posts
    task = Task.objects.get(plan=plan, code="1")
    assert (task.due, task.original_due) == (D(2026, 12, 31), D(2026, 9, 30))


def test_a_ledger_imported_into_a_new_year_keeps_the_forms_too(district):  # noqa: F811
    """The same file read into an empty year: the lead as written, groups, posts and text land on new tasks."""
    plan = as_written_plan(district)
    book = read_book("ledger.xlsx", ledger_bytes(plan), Options(year=2027, create_units=True))
    assert book.ok, book.all_errors
    apply_book(book, year=2027, by=district.cast.user("office"), filename="ledger.xlsx")
    new = {t.code: t for t in Task.objects.filter(plan__year=2027)}
    assert (new["3"].lead_unit, new["3"].lead_text) == (None, "各主要经济指标牵头单位")
    assert (new["3"].leader_text, new["3"].owner_text) == ("分管副区长", "各镇街主要负责人")
    assert new["2"].owner_post == new["2"].owner_post and new["2"].owner_post.label == "区应急局负责人"
    assert list(new["1"].co_group_links.values_list("written", flat=True)) == ["各镇(街道、园区)"]
    assert new["1"].due == D(2026, 12, 31)
