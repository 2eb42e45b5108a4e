"""The preview: every row as it will be imported, with the units, people and dates resolved against the district."""

import datetime
from decimal import Decimal

from tests.plans.importing.conftest import row_by_title

D = datetime.date


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_explicit_lead_and_co_units_resolve_written_several_ways(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,配合单位",
            "1,地区生产总值增长6%,区发展和改革局,区财政局、区人社局",
            "2,固定资产投资增长10%,区发改委,发改局;区人力社保局",
        ),
    )
    first, second = book.rows
    assert first.lead.unit_ids == (district.fgj.pk,) and second.lead.unit_ids == (district.fgj.pk,)
    assert [h.unit_ids for h in first.co] == [(district.czj.pk,), (district.rsj.pk,)]
    assert [h.unit_ids for h in second.co] == [(district.rsj.pk,)]  # 发改局 is the lead itself
    assert book.ok, book.all_errors


def test_only_responsible_units_means_the_first_leads(district, preview):
    book = preview("b.csv", csv_text("序号,工作任务,责任单位", "1,推进乡债县管,区财政局、区税务局、各街道"))
    row = book.rows[0]
    assert row.lead.unit_ids == (district.czj.pk,)
    assert [h.label for h in row.co] == ["区税务局", "各街道"]
    co_ids = {u for h in row.co for u in h.unit_ids}
    assert co_ids == {district.swj.pk, district.chengguan.pk, district.donghu.pk, district.xishan.pk}


def test_lead_rule_none_leaves_the_lead_to_the_office(district, preview):
    book = preview(
        "b.csv", csv_text("序号,工作任务,责任单位", "1,推进乡债县管,区财政局、区税务局"), lead_rule="none"
    )
    row = book.rows[0]
    assert row.lead is None
    assert [h.label for h in row.co] == ["区财政局", "区税务局"]
    assert any("cannot be assigned until it has a lead unit" in w for w in row.warnings)
    assert book.ok


def test_an_explicit_lead_column_wins_over_responsible_units(district, preview):
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位,责任单位", "1,完成目标,区卫健局,区财政局、区税务局")
    )
    row = book.rows[0]
    assert row.lead.unit_ids == (district.wjj.pk,)
    assert [h.label for h in row.co] == ["区财政局", "区税务局"]


def test_several_explicit_leads_keep_the_first_and_warn(district, preview):
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位,配合单位", "2,巩固创文成果,区卫健局、区创文办,各街办(新区)")
    )
    row = book.rows[0]
    assert row.lead.unit_ids == (district.wjj.pk,)
    assert row.co[0].unit_ids == (district.cwb.pk,)
    assert row.co[1].kind == "group"
    assert any("several lead units" in w for w in row.warnings)


def test_a_collective_lead_makes_a_draft_that_keeps_the_lead_as_written(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位",
            "1,做好防汛,各街道",
            "2,完成主要经济指标,各主要经济指标牵头单位",
            "3,做好防疫,区卫健局",
        ),
    )
    assert book.ok, book.all_errors
    first, second, third = book.rows
    assert (first.lead, first.lead_text) == (None, "各街道")
    assert (second.lead, second.lead_text) == (None, "各主要经济指标牵头单位")
    assert "Row 3: the lead “各主要经济指标牵头单位” names several units, not one" in second.warnings[0]
    assert "lead unit" in second.missing
    assert third.lead.unit_ids == (district.wjj.pk,) and third.lead_text == ""
    assert book.unknown_units["各主要经济指标牵头单位"].as_lead


def test_unknown_units_are_listed_with_their_rows(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,配合单位",
            "1,推进企业上市,区金融局,区证监办、各有关部门",
            "2,培育上市后备,区发改局,区证监办",
        ),
    )
    assert not book.ok
    first = book.rows[0]
    assert first.errors == [
        "Row 2: co-unit “区证监办” matches no unit: choose a unit for it, create it, or leave it out.",
        "Row 2: “各有关部门” names several units and matches no unit group: choose a group for it or create "
        "the group.",
    ]
    assert (first.lead, first.lead_text) == (None, "区金融局")  # an unknown lead does not stop the book
    assert any("the lead unit “区金融局” matches no unit" in w for w in first.warnings)
    assert book.unknown_units["区证监办"].refs == ["2", "3"]
    assert book.unknown_units["区金融局"].as_lead
    assert book.unknown_units["各有关部门"].collective


def test_create_units_turns_unknown_units_into_new_ones(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,牵头单位", "1,推进企业上市,区金融局"), create_units=True)
    assert book.ok
    assert book.rows[0].lead.kind == "new"
    assert book.new_units == {"区金融局": "区金融局"}


def test_a_mapping_resolves_unknown_units(district, preview):
    book = preview(
        "b.csv",
        csv_text("序号,重点任务,牵头单位,配合单位", "1,推进企业上市,区金融局,区证监办"),
        mapping={"区金融局": f"unit:{district.jrb.pk}", "区证监办": "skip"},
    )
    assert book.ok
    assert book.rows[0].lead.unit_ids == (district.jrb.pk,)
    assert book.rows[0].co == []


def test_a_shared_prefix_is_expanded(district, preview):
    book = preview("b.csv", csv_text("序号,重点任务,责任单位", "5,城乡居民收入增长10%以上,区发改局、农业局"))
    assert book.rows[0].co[0].unit_ids == (district.nyj.pk,)


def test_units_inline_in_the_task_text(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务",
            '12,"积极推进梯队企业培育计划,加快区属企业上市步伐。(区发改局、金融办)"',
            "1、,切实巩固疫情防控成果[牵头单位:区卫健局;责任单位:区创文办、各街办(新区)]",
        ),
    )
    first, second = book.rows
    assert first.title == "积极推进梯队企业培育计划,加快区属企业上市步伐。"
    assert first.lead.unit_ids == (district.fgj.pk,) and first.co[0].unit_ids == (district.jrb.pk,)
    assert second.lead.unit_ids == (district.wjj.pk,)
    assert [h.label for h in second.co] == ["区创建文明城市工作办公室", "各街道"]


def test_leaders_are_matched_and_new_ones_listed(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,责任领导,责任人",
            "1,任务甲,区发改局,叶枝利区长,陈责任",
            "2,任务乙,区发改局,刘 哲,",
            "3,任务丙,区发改局,常务副区长,陈责任",
            '4,任务丁,区发改局,"陈仲朝、陈炳荣",陈责任',
            "5,任务戊,区发改局,副市长,陈责任",
        ),
    )
    a, b, c, d, e = book.rows
    assert a.leader.person_id == district.ye.pk and a.owner.person_id == district.cast.owner.pk
    assert (b.leader.kind, b.leader.name) == ("new", "刘哲")
    assert any("cannot be assigned until it has a responsible person" in w for w in b.warnings)
    assert c.leader.person_id == district.xu.pk
    assert d.leader.name == "陈仲朝" and any("several names" in w for w in d.warnings)
    assert (e.leader.kind, e.leader.label) == ("post", "区政府副市长")  # the district's post, to fill once
    assert set(book.new_people) == {"刘哲", "陈仲朝"}


def test_leaders_come_from_section_headings(district, preview):
    book = preview(
        "b.txt",
        "一、叶枝利区长牵头重点工作\n1.一般公共预算收入增长6%。 责任单位:区财政局\n"
        "二、徐洪涛常务副区长牵头重点工作\n1.地区生产总值增长6%。 责任单位:区发改局\n",
    )
    first, second = book.rows
    assert first.leader.person_id == district.ye.pk
    assert second.leader.person_id == district.xu.pk
    assert [r.code for r in book.rows] == ["1.1", "2.1"]  # numbering restarts in each section


def test_deadlines_and_schedules_become_due_dates_and_milestones(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,完成时限,时间节点",
            "1,建成养老中心,区民政局,12月底前,3月底前完成立项;6月底前开工建设;12月底前竣工投用",
            "2,新建人行天桥,区住建局,,3月底前完成设计;9月投入使用",
            "3,推进河长制,区住建局,持续推进,",
            "4,完成棚改,区住建局,2026年6月底前,",
        ),
        year=2027,
        create_units=True,
    )
    a, b, c, d = book.rows
    assert a.due == D(2027, 12, 31) and a.deadline_text == "12月底前"
    assert [(m.due, m.planned_progress) for m in a.milestones] == [
        (D(2027, 3, 31), Decimal("33.33")),
        (D(2027, 6, 30), Decimal("66.67")),
        (D(2027, 12, 31), Decimal(100)),
    ]
    assert b.due == D(2027, 9, 30)  # the schedule's last step
    assert c.due is None and c.deadline_text == "持续推进"
    assert d.due == D(2026, 6, 30) and any("outside the plan year 2027" in w for w in d.warnings)


def test_a_start_after_the_due_date_is_an_error(district, preview):
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位,开始时间,完成时限", "1,任务,区发改局,2027-10-01,6月底前")
    )
    assert book.rows[0].errors == ["Row 2: the start date is after the due date."]


def test_sub_rows_without_a_number_become_child_tasks(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,民生实事,责任单位,完成时限",
            "5,开工建设县老年养护楼。,区住建局,5月底前动工",
            ",开工建设老年大学。,,12月底前",
            ",建设社区食堂。,区民政局,",
            "6,迁建县政务服务中心。,区住建局,12月底前",
        ),
        create_units=True,
    )
    assert [(r.code, r.parent_code) for r in book.rows] == [("5", ""), ("5-1", "5"), ("5-2", "5"), ("6", "")]
    assert book.rows[1].lead.unit_ids == (district.zjj.pk,)  # from the parent row
    assert book.rows[2].lead.written == "区民政局"


def test_codes_are_generated_when_the_book_has_none(district, preview):
    book = preview("b.csv", csv_text("重点任务,牵头单位", "任务甲,区发改局", "任务乙,区财政局"))
    assert [r.code for r in book.rows] == ["1", "2"]


def test_a_duplicate_code_is_an_error_naming_both_rows(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "编号,重点任务,牵头单位,上级任务编号",
            "1,任务甲,区发改局,",
            "1-1,任务乙,区发改局,1",
            "1-1,任务丙,区发改局,1",
        ),
    )
    assert book.rows[2].errors == ["Row 4: the code “1-1” is used twice (also in row 3)."]


def test_a_parent_code_must_exist(district, preview):
    book = preview("b.csv", csv_text("编号,重点任务,牵头单位,上级任务编号", "3-1,任务甲,区发改局,3"))
    assert "neither in the file nor in the plan" in book.rows[0].errors[0]


def test_categories_are_read_and_new_ones_listed(district, preview):
    book = preview(
        "b.csv",
        csv_text("板块,重点任务,牵头单位", "产业转型升级,任务甲,区发改局", "乡村振兴,任务乙,区农业局"),
        year=2026,
    )
    assert [r.category for r in book.rows] == ["产业转型升级", "乡村振兴"]
    assert book.new_categories == ["乡村振兴"]  # 产业转型升级 exists in the cast's plan


def test_weight_source_and_public_flag(district, preview):
    book = preview(
        "b.csv",
        csv_text(
            "序号,重点任务,牵头单位,权重,任务来源,公开",
            "1,任务甲,区发改局,2.5,政府工作报告,是",
            "2,任务乙,区发改局,很多,会议议定事项,否",
        ),
    )
    a, b = book.rows
    assert (a.weight, a.source, a.is_public) == (Decimal("2.5"), "work_report", True)
    assert (b.source, b.is_public) == ("meeting", False)
    assert b.errors == ["Row 3: the weight “很多” is not a number from 0 to 9999."]


def test_a_file_without_a_task_table_is_an_error(district, preview):
    book = preview("b.csv", csv_text("姓名,电话", "张三,123"))
    assert not book.ok and "No table of tasks was found" in book.errors[0]


def test_the_summary_counts_rows(district, preview):
    book = preview(
        "b.csv",
        csv_text("序号,重点任务,牵头单位", "1,地区生产总值增长6.5%左右,区发改局", "9,新任务,区发改局"),
        year=2026,
    )
    assert book.rows[0].action == "update"  # the cast's task 1 in 2026
    assert "Row 2: this updates task 1, now titled “地区生产总值增长6%左右”" in book.rows[0].warnings[0]
    assert book.rows[1].action == "create"
    assert book.summary().startswith("2 rows: 1 new, 1 updated")
    assert row_by_title(book, "新任务").code == "9"


def test_a_new_unit_must_not_clash_with_an_inactive_one(district, preview):
    district.jrb.is_active = False
    district.jrb.save()
    book = preview(
        "b.csv", csv_text("序号,重点任务,牵头单位", "1,推进企业上市,区金融工作办公室"), create_units=True
    )
    assert book.rows[0].errors == [
        "Row 2: “区金融工作办公室” is an inactive unit; make it active or map the name."
    ]


def test_the_preview_runs_a_fixed_number_of_queries_whatever_the_size(district, preview):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        lines = ["序号,重点任务,牵头单位,配合单位,责任领导,时间节点"] + [
            f"{i},任务{i},区发改局,区财政局、各街道,叶枝利区长,3月底前立项;6月底前开工"
            for i in range(1, n + 1)
        ]
        with CaptureQueriesContext(connection) as captured:
            book = preview("b.csv", csv_text(*lines), year=2026)
        assert book.ok
        return len(captured)

    assert queries(5) == queries(60) == 13
