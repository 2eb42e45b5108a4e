"""What the book said is kept: collective co-unit names as unit groups, a lead that is no one unit as written,
posts instead of people once per unit, and the rest of the book imported even when one lead is unusable."""

import datetime

import pytest

from tongtui.orgs.models import Membership, Person, Post, Role, Unit, UnitGroup
from tongtui.plans.actions_groups import fill_post, set_group_members
from tongtui.plans.importing.apply import ImportFailed, apply_book
from tongtui.plans.models import CoGroup, CoUnit, Task, TaskStatus

D = datetime.date


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def imported(district, preview, text: str, year: int = 2028, **options) -> list[Task]:
    book = preview("b.csv", csv_text(*text.strip().splitlines()), year=year, **options)
    assert book.ok, book.all_errors
    apply_book(book, year=year, by=district.cast.user("office"), filename="b.csv")
    return list(Task.objects.filter(plan__year=year).order_by("pk"))


# -- collective names ------------------------------------------------------------------------------


def test_a_collective_name_matching_no_group_is_listed_for_a_choice_not_dropped(district, preview):
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位,配合单位", "1,稳定增长,区发改局,各县(市)区政府、各开发区管委会"), year=2028
    )
    assert not book.ok
    assert [u.name for u in book.unknown_units.values()] == ["各县(市)区政府", "各开发区管委会"]
    assert all(u.collective for u in book.unknown_units.values())


def test_create_units_creates_the_group_for_the_office_to_fill_and_the_task_follows(district, preview):
    (task,) = imported(
        district,
        preview,
        "序号,重点任务,牵头单位,配合单位\n1,稳定增长,区发改局,区财政局、各县(市)区政府、全区经济运行各专班",
        create_units=True,
    )
    assert [u.name for u in task.co_units.all()] == ["区财政局"]
    assert list(task.co_group_links.order_by("pk").values_list("written", "group__name")) == [
        ("各县(市)区政府", "各县(市)区政府"),
        ("全区经济运行各专班", "全区经济运行各专班"),
    ]
    group = UnitGroup.objects.get(name="各县(市)区政府")
    assert group.units.count() == 0
    set_group_members(group, [district.nyj, district.czj], by=district.cast.user("office"))
    links = {link.unit.name: link.via_group_id for link in CoUnit.objects.filter(task=task)}
    assert links == {"区财政局": None, "区农业局": group.pk}  # 区财政局 was named on its own already


def test_a_collective_name_maps_to_an_existing_group_as_the_office_chooses(district, preview):
    UnitGroup.objects.filter(pk=district.streets.pk).update(name="各镇街", aliases="")
    book = "序号,重点任务,牵头单位,配合单位\n1,推进乡村振兴,区农业局,各镇(街道、园区)"
    unresolved = preview("b.csv", csv_text(*book.splitlines()), year=2028)
    assert not unresolved.ok  # an unknown collective name is a choice to make, not a name to drop
    from tongtui.plans.importing.suggest import Suggester

    assert Suggester(unresolved.directory).suggest("各镇(街道、园区)")[0].label == "各镇街"
    (task,) = imported(district, preview, book, mapping={"各镇(街道、园区)": f"group:{district.streets.pk}"})
    link = CoGroup.objects.get(task=task)
    assert (link.group_id, link.written) == (district.streets.pk, "各镇(街道、园区)")
    assert set(task.co_units.values_list("name", flat=True)) == {"城关街道办事处", "东湖街道办事处", "西山镇人民政府"}
    assert "各镇(街道、园区)" in UnitGroup.objects.get(pk=district.streets.pk).all_names()  # remembered


def test_a_known_group_keeps_the_name_as_written_and_brings_its_members(district, preview):
    (task,) = imported(
        district, preview, "序号,重点任务,牵头单位,配合单位\n1,推进乡债县管,区财政局,各镇(街道)、区税务局"
    )
    assert list(task.co_group_links.values_list("written", "group")) == [("各镇(街道)", district.streets.pk)]
    vias = dict(CoUnit.objects.filter(task=task).values_list("unit__name", "via_group"))
    assert vias == {
        "城关街道办事处": district.streets.pk,
        "东湖街道办事处": district.streets.pk,
        "西山镇人民政府": district.streets.pk,
        "区税务局": None,
    }


# -- leads that are no one unit --------------------------------------------------------------------


def test_rows_whose_lead_is_no_one_unit_become_drafts_and_the_book_is_imported(district, preview):
    tasks = imported(
        district,
        preview,
        """序号,重点任务,牵头单位,配合单位,责任领导,责任人
1,主要经济指标不低于全市平均水平,各主要经济指标牵头单位,,叶枝利区长,陈责任
2,地区生产总值增长6%,区发改局,,叶枝利区长,陈责任
3,推进企业上市,区金融局,,叶枝利区长,陈责任
4,做好防汛,,各街道,叶枝利区长,陈责任""",
    )
    texts = [(t.code, t.lead_unit_id is not None, t.lead_text, t.status) for t in tasks]
    assert texts == [
        ("1", False, "各主要经济指标牵头单位", TaskStatus.DRAFT),
        ("2", True, "", TaskStatus.DRAFT),
        ("3", False, "区金融局", TaskStatus.DRAFT),
        ("4", False, "", TaskStatus.DRAFT),  # no lead written at all
    ]
    assert [t.co_group_links.get().written for t in tasks[3:]] == ["各街道"]


def test_an_unknown_lead_on_a_task_that_has_one_keeps_its_lead_unit(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位", "1,地区生产总值增长6%左右,区金融局"), year=2026)
    row = book.rows[0]
    assert row.lead_text is None and row.action == "unchanged"
    assert "the task keeps its lead unit" in row.warnings[0]


# -- posts -----------------------------------------------------------------------------------------


@pytest.fixture
def yjj(district):
    """区应急管理局 (区应急局) with nobody in it yet."""
    return Unit.objects.create(name="区应急管理局", short_name="区应急局", parent=district.cast.district)


def test_a_post_with_nobody_known_is_recorded_once_per_unit_and_filled_once(district, preview, yjj):
    lines = ["序号,重点任务,牵头单位,责任领导,责任人"] + [
        f"{i},应急任务{i},区应急管理局,叶枝利区长,区应急管理局负责人" for i in range(1, 151)
    ]
    tasks = imported(district, preview, "\n".join(lines))
    post = Post.objects.get(unit=yjj)
    assert post.title == "负责人" and post.holder is None and post.label == "区应急局负责人"
    assert {(t.owner_id, t.owner_post_id, t.owner_text) for t in tasks} == {(None, post.pk, "")}
    holder = Person.objects.create(name="钱局长", unit=yjj, title="局长")
    filled = fill_post(post, holder, by=district.cast.user("office"))
    assert len(filled) == 150
    assert set(Task.objects.filter(plan__year=2028).values_list("owner", flat=True)) == {holder.pk}


def test_posts_resolve_to_the_person_who_holds_them_when_known(district, preview, yjj):
    cast = district.cast
    head = Person.objects.create(name="孙主任", unit=yjj, title="主任")
    Membership.objects.create(person=head, unit=yjj, role=Role.UNIT_HEAD)
    filled = Post.objects.create(unit=district.czj, title="分管负责人", holder=cast.owner)
    tasks = imported(
        district,
        preview,
        """序号,重点任务,牵头单位,责任领导,责任人
1,任务甲,区发改局,叶枝利区长,局长
2,任务乙,区应急管理局,常务副区长,区应急局主要负责人
3,任务丙,区财政局,叶枝利区长,区财政局分管负责人
4,任务丁,区发改局,分管副区长,各镇街主要负责人""",
    )
    a, b, c, d = tasks
    assert a.owner == cast.head_a  # 局长 of the lead unit, 区发改局: 李局长
    assert (b.owner, b.leader) == (head, district.xu)  # the unit head; the one 常务副区长
    assert (c.owner, c.owner_post) == (cast.owner, filled)  # the holder the office recorded
    assert (d.owner, d.owner_post, d.owner_text) == (None, None, "各镇街主要负责人")
    assert (d.leader, d.leader_post, d.leader_text) == (None, None, "分管副区长")
    assert Post.objects.count() == 1  # nothing recorded for posts whose holder is known or that name no unit


def test_the_preview_shows_posts_and_what_is_kept_as_written(district, preview, yjj):
    from tongtui.plans.importing.preview import row_cells

    book = preview(
        "b.csv",
        csv_text("序号,重点任务,牵头单位,责任领导,责任人", "1,任务甲,区应急管理局,分管副区长,区应急管理局负责人"),
        year=2028,
    )
    cells = row_cells(book.rows[0])
    assert cells["owner"] == "区应急局负责人 (post to record)"
    assert cells["leader"] == "分管副区长 (as written)"


# -- one unusable row, only malformed files refused -----------------------------------------------


def test_a_header_only_book_is_nothing_to_import(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位,配合单位"), year=2028)
    assert book.errors == ["The table has its header row but no task under it: there is nothing to import."]
    with pytest.raises(ImportFailed):
        apply_book(book, year=2028, by=district.cast.user("office"), filename="b.csv")


@pytest.mark.parametrize(
    ("cell", "column", "bad"),
    [
        ("2026-02-30", "完成时限", "2026-02-30"),
        ("2026年13月", "完成时限", "2026年13月"),
        ("2026年6月31日前", "完成时限", "2026年6月31日"),
        ("2026/99/99", "完成时限", "2026/99/99"),
    ],
)
def test_an_impossible_date_is_an_error_naming_the_cell(district, preview, cell, column, bad):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位,完成时限", f"1,任务甲,区发改局,{cell}"), year=2026)
    assert book.rows[0].errors == [f"Row 2, {column}: “{bad}” is not a real date."]
    assert book.rows[0].due is None


def test_impossible_dates_in_a_schedule_or_a_start_cell_are_errors_too(district, preview):
    book = preview(
        "b.csv",
        csv_text("序号,重点任务,牵头单位,开始时间,进度安排", "1,任务甲,区发改局,2026年2月30日,3月底前立项;6月31日前开工"),
        year=2026,
    )
    assert book.rows[0].errors == [
        "Row 2, 进度安排: “6月31日” is not a real date.",
        "Row 2, 开始时间: “2026年2月30日” is not a real date.",
    ]


@pytest.mark.parametrize("cell", ["持续推进", "长期坚持", "长期"])
def test_only_open_phrases_leave_the_date_empty(district, preview, cell):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位,完成时限", f"1,任务甲,区发改局,{cell}"), year=2026)
    row = book.rows[0]
    assert (row.due, row.deadline_text, row.errors) == (None, cell, [])


def test_a_deadline_that_is_no_date_and_no_open_phrase_is_an_error(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位,完成时限", "1,任务甲,区发改局,尽快"), year=2026)
    assert book.rows[0].errors == [
        "Row 2, 完成时限: “尽快” is neither a date nor an open deadline such as 持续推进; write a date such as 6月底前."
    ]
