"""The columns offices print: 序号, 亮灯, 存在问题, 下步计划; units and people as the document wrote them; extended
dates beside the original ones."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.ledger.conftest import read, rows_of
from tongtui.dispatch.models import AddressedTo, Problem, ProblemStatus, ProgressReport, ReportStatus
from tongtui.orgs.models import Post, UnitGroup
from tongtui.plans.ledger import provide_column, write_ledger
from tongtui.plans.models import CoGroup, CoUnit, Milestone, Task
from tongtui.supervision.models import TaskLight

D = datetime.date


def export(cast, viewer=None, tasks=None):
    buffer = io.BytesIO()
    write_ledger(cast.plan, tasks if tasks is not None else Task.objects.all(), buffer, viewer=viewer)
    sheet = read(buffer.getvalue())
    return sheet, {r["编号"]: r for r in rows_of(sheet)}


def report(task, unit, month, status, **texts):
    return ProgressReport.objects.create(
        task=task, unit=unit, period_start=D(2026, month, 1), period_end=D(2026, month, 28), status=status,
        **texts,
    )  # fmt: skip


def problem(cast, title, status=ProblemStatus.OPEN, **kw):
    return Problem.objects.create(
        task=cast.task_a, unit=cast.unit_a, title=title, addressed_to=AddressedTo.OFFICE,
        answer_by=D(2026, 5, 10), status=status, **kw,
    )  # fmt: skip


def test_the_running_number_follows_the_printed_order(cast):
    Task.objects.create(plan=cast.plan, code="1.1", title="子任务", parent=cast.task_a)
    sheet, _rows = export(cast)
    assert [(r["编号"], r["序号"]) for r in rows_of(sheet)] == [("1", 1), ("1.1", 2), ("2", 3)]


def test_the_light_is_its_word_on_its_colour(cast):
    now = timezone.now()
    TaskLight.objects.create(task=cast.task_a, light="red", as_of=D(2026, 5, 1), computed_at=now)
    sheet, rows = export(cast)
    assert (rows["1"]["亮灯"], rows["2"]["亮灯"]) == ("红", None)
    column = [c.value for c in sheet[2]].index("亮灯") + 1
    cell = sheet.cell(3, column)
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.font.b


@pytest.mark.parametrize("light,word", [("yellow", "黄"), ("green", "绿"), ("blue", "蓝"), ("grey", "灰")])
def test_every_light_has_its_word(cast, light, word):
    TaskLight.objects.create(task=cast.task_a, light=light, as_of=D(2026, 5, 1), computed_at=timezone.now())
    assert export(cast)[1]["1"]["亮灯"] == word


def test_problems_are_the_open_ones_then_the_latest_filed_report(cast):
    problem(cast, "用地指标未落实")
    problem(cast, "已解决的问题", status=ProblemStatus.RESOLVED)
    problem(cast, "已答复待解决", status=ProblemStatus.ANSWERED)
    report(cast.task_a, cast.unit_a, 3, ReportStatus.ACCEPTED, problems="三月的问题")
    report(cast.task_a, cast.unit_a, 4, ReportStatus.SUBMITTED, problems="资金缺口2000万元")
    report(cast.task_a, cast.unit_a, 5, ReportStatus.DRAFT, problems="草稿不算")
    rows = export(cast, viewer=cast.user("office"))[1]
    assert rows["1"]["存在问题"] == "1.用地指标未落实\n2.已答复待解决\n3.资金缺口2000万元"
    assert rows["2"]["存在问题"] is None


def test_one_problem_is_not_numbered_and_a_repeat_is_written_once(cast):
    problem(cast, "用地指标未落实")
    report(cast.task_a, cast.unit_a, 4, ReportStatus.SUBMITTED, problems="用地指标未落实")
    assert export(cast, viewer=cast.user("leader"))[1]["1"]["存在问题"] == "用地指标未落实"


def test_a_viewer_sees_only_the_problems_they_may_see(cast):
    CoUnit.objects.create(task=cast.task_a, unit=cast.unit_b)
    problem(cast, "请区领导协调用地")  # raised by unit A to the office: not unit B's to see
    report(cast.task_a, cast.unit_a, 4, ReportStatus.SUBMITTED, problems="报告里写的问题")
    mine = Task.objects.filter(pk=cast.task_a.pk)
    assert export(cast, cast.user("liaison_b"), mine)[1]["1"]["存在问题"] == "报告里写的问题"
    assert (
        export(cast, cast.user("liaison_a"), mine)[1]["1"]["存在问题"]
        == "1.请区领导协调用地\n2.报告里写的问题"
    )
    assert export(cast, None, mine)[1]["1"]["存在问题"] == "报告里写的问题"


def test_next_steps_come_from_the_latest_accepted_report(cast):
    report(cast.task_a, cast.unit_a, 3, ReportStatus.ACCEPTED, next_steps="三月的下步")
    report(cast.task_a, cast.unit_a, 4, ReportStatus.ACCEPTED, next_steps="加快土地征收")
    report(cast.task_a, cast.unit_a, 5, ReportStatus.SUBMITTED, next_steps="还没审核")
    report(cast.task_c, cast.unit_c, 4, ReportStatus.RETURNED, next_steps="退回的不算")
    rows = export(cast)[1]
    assert (rows["1"]["下步计划"], rows["2"]["下步计划"]) == ("加快土地征收", None)


def test_without_a_unit_the_lead_is_written_as_the_book_wrote_it(cast):
    Task.objects.filter(pk=cast.task_c.pk).update(lead_unit=None, lead_text="各相关部门")
    assert export(cast)[1]["2"]["牵头单位"] == "各相关部门"


def test_co_unit_groups_as_written_then_the_units_no_group_brought(cast):
    towns = UnitGroup.objects.create(name="各镇街")
    towns.units.add(cast.unit_b)
    CoGroup.objects.create(task=cast.task_a, group=towns, written="各镇(街道)")
    CoUnit.objects.create(task=cast.task_a, unit=cast.unit_b, via_group=towns)
    other = UnitGroup.objects.create(name="区直各部门")
    CoGroup.objects.create(task=cast.task_a, group=other)
    assert export(cast)[1]["1"]["配合单位"] == "各镇(街道)、区直各部门、区财政局"


def test_people_are_named_else_their_post_else_as_written(cast):
    post = Post.objects.create(unit=cast.unit_c, title="负责人")
    Task.objects.filter(pk=cast.task_c.pk).update(
        leader=None, leader_post=post, owner=None, owner_text="张三"
    )
    Task.objects.filter(pk=cast.task_a.pk).update(leader_post=post)
    rows = export(cast)[1]
    assert (rows["2"]["责任领导"], rows["2"]["责任人"]) == ("区财政局负责人", "张三")
    assert rows["1"]["责任领导"] == "王副区长"  # a named person comes before the post


def test_extended_dates_show_the_original_beside_the_new(cast):
    Task.objects.filter(pk=cast.task_a.pk).update(due=D(2026, 9, 30), original_due=D(2026, 6, 30))
    Milestone.objects.create(task=cast.task_a, title="开工建设", due=D(2026, 7, 31), original_due=D(2026, 5, 31),
                             planned_progress=Decimal(50))  # fmt: skip
    Milestone.objects.create(
        task=cast.task_a, title="竣工", due=D(2026, 9, 30), planned_progress=Decimal(100)
    )
    rows = export(cast)[1]
    assert rows["1"]["完成时限"] == "2026-09-30(原定2026-06-30)"
    assert rows["1"]["时间节点"] == "7月31日(原定5月31日)前开工建设(50%);\n9月30日前竣工(100%)"
    assert rows["2"]["完成时限"] == datetime.datetime(2026, 12, 31)


def test_only_the_provided_columns_can_be_provided():
    with pytest.raises(ValueError, match="重点任务"):
        provide_column("重点任务", lambda ids, viewer: {})
