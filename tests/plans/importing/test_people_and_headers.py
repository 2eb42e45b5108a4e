"""Leaders, people, headers and numbering, in memory (no database)."""

import pytest

from tongtui.plans.importing.headers import field_of, find_header, map_columns, merge_subheader
from tongtui.plans.importing.people import People, name_and_title, split_people
from tongtui.plans.importing.sections import cn_number, leading_number, normalize_code, parse_heading


@pytest.mark.parametrize(
    ("written", "name", "title"),
    [
        ("叶枝利区长", "叶枝利", "区长"),
        ("区长陈兴立", "陈兴立", "区长"),
        ("常务副区长姚珂军", "姚珂军", "常务副区长"),
        ("徐洪涛常务副区长", "徐洪涛", "常务副区长"),
        ("张盈军区政府党组成员", "张盈军", "区政府党组成员"),
        ("广东省副省长、珠海市委书记吕玉印".split("、")[1], "吕玉印", "市委书记"),
        ("刘兴达", "刘兴达", ""),
        ("王健(副区长)", "王健", "副区长"),
    ],
)
def test_names_are_found_among_titles(written, name, title):
    assert name_and_title(written) == (name, title)


@pytest.mark.parametrize("written", ["常务副区长", "市长", "广东省副省长", "分管副省长"])
def test_a_post_alone_has_no_name(written):
    assert name_and_title(written)[0] == ""


def test_padded_names_stay_one_name_and_lists_split():
    assert split_people("刘 哲") == ["刘哲"]
    assert split_people("陈仲朝、陈炳荣") == ["陈仲朝", "陈炳荣"]
    assert split_people("成坤 柯相国 王俊") == ["成坤", "柯相国", "王俊"]
    assert split_people("市长,副市长") == ["市长", "副市长"]


def test_people_are_matched_by_name_then_by_post():
    people = People()
    people.add(1, "王副区长", "副区长")
    people.add(2, "叶枝利", "区长")
    people.add(3, "徐洪涛", "常务副区长")
    assert people.resolve_one("王副区长").person_id == 1  # a name that looks like a title
    assert people.resolve_one("叶枝利区长").person_id == 2
    assert people.resolve_one("常务副区长").person_id == 3  # the only holder of the post
    new = people.resolve_one("刘 哲")
    assert (new.kind, new.name) == ("new", "刘哲")
    assert people.resolve_one("副市长").kind == "post"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序号", "code"),
        ("编号", "code"),
        ("任务编号", "code"),
        ("序號", "code"),
        ("重点任务", "title"),
        ("任务内容", "title"),
        ("工作任务", "title"),
        ("主要任务", "title"),
        ("目标任务", "title"),
        ("项目名称", "title"),
        ("2022年预期目标", "title"),
        ("民生实事", "title"),
        ("板块", "category"),
        ("类别", "category"),
        ("领域", "category"),
        ("工作目标", "goal"),
        ("目标", "goal"),
        ("主要举措", "measures"),
        ("工作措施", "measures"),
        ("成果形式", "deliverables"),
        ("完成标志", "deliverables"),
        ("牵头单位", "lead"),
        ("主要责任单位", "lead"),
        ("牽頭單位", "lead"),
        ("配合单位", "co"),
        ("协办单位", "co"),
        ("责任单位", "duty"),
        ("责任主体与协同单位", "duty"),
        ("责任领导", "leader"),
        ("牵头领导", "leader"),
        ("分管领导", "leader"),
        ("区政府分管领导", "leader"),
        ("责任人", "owner"),
        ("完成时限", "deadline"),
        ("时间要求", "deadline"),
        ("完成时间", "deadline"),
        ("时间节点", "schedule"),
        ("进度安排", "schedule"),
        ("开始时间", "start"),
        ("权重", "weight"),
        ("任务来源", "source"),
        ("上级任务编号", "parent"),
        ("公开", "is_public"),
        ("最新进展", "ignored"),
        ("进度(%)", "ignored"),
        ("进展日期", "ignored"),
        ("状态", "ignored"),
        ("1-10月推进情况", "ignored"),
        (" 牵头\n单位 ", "lead"),
        ("*重点任务", "title"),
    ],
)
def test_header_synonyms_map_to_fields(header, field):
    assert field_of(header) == field


def test_unknown_columns_are_listed_as_ignored():
    cols = map_columns(["序号", "重点任务", "牵头单位", "建设地点", "联系电话"])
    assert cols.fields == {0: "code", 1: "title", 2: "lead"}
    assert cols.ignored == ["建设地点", "联系电话"]


def test_a_second_title_like_column_becomes_content():
    cols = map_columns(["序号", "项目名称", "主要内容", "牵头单位"])
    assert cols.fields == {0: "code", 1: "title", 2: "content", 3: "lead"}


def test_the_header_row_is_found_under_a_title_row():
    rows = [
        ["2026年重点工作任务分解表"] * 4,
        ["", "", "", "填报日期"],
        ["序号", "重点任务", "牵头单位", "完成时限"],
        ["1", "地区生产总值增长6%", "区发改局", "12月底前"],
    ]
    assert find_header(rows) == 2


def test_a_two_row_header_is_combined():
    header = ["序号", "重点任务", "责任单位", "责任单位"]
    assert merge_subheader(header, ["", "", "牵头单位", "配合单位"]) == [
        "序号",
        "重点任务",
        "牵头单位",
        "配合单位",
    ]
    assert merge_subheader(header, ["1", "任务", "区发改局", "区财政局"]) is None


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("1.", "1"),
        ("1、", "1"),
        ("(一)", "1"),
        ("(一)", "1"),
        ("一、", "1"),
        ("十二、", "12"),
        ("第三", "3"),
        ("01", "1"),
        ("2.1", "2.1"),
        ("5-1", "5-1"),
        ("★3", "3"),
        (" 24 ", "24"),
    ],
)
def test_codes_are_normalised(written, code):
    assert normalize_code(written) == code


def test_chinese_numerals_are_read():
    assert [cn_number(t) for t in ("一", "十", "十二", "二十三", "一百零五", "7")] == [1, 10, 12, 23, 105, 7]


def test_headings_give_level_ordinal_and_leader():
    h = parse_heading("一、叶枝利区长牵头重点工作")
    assert (h.level, h.ordinal, h.leader) == (1, 1, "叶枝利区长")
    h = parse_heading("二、常务副区长姚珂军牵头重点工作")
    assert (h.level, h.ordinal, h.leader) == (1, 2, "常务副区长姚珂军")
    h = parse_heading("(三)加强战略科技力量建设。(牵头领导:成坤、柯相国、王俊)")
    assert (h.level, h.ordinal, h.leader) == (2, 3, "成坤、柯相国、王俊")
    h = parse_heading("一、全力统筹疫情防控和经济社会秩序恢复")
    assert (h.level, h.leader, h.title) == (1, "", "全力统筹疫情防控和经济社会秩序恢复")
    assert parse_heading("附件2").level == 0


def test_a_task_line_gives_its_own_number():
    assert leading_number("1.地区生产总值增长6%左右") == ("1", "地区生产总值增长6%左右")
    assert leading_number("(二)规上工业增加值增长12%以上") == ("2", "规上工业增加值增长12%以上")
    assert leading_number("2.1 推进项目") == ("2.1", "推进项目")
    assert leading_number("1.5万人就业") == ("", "1.5万人就业")
    assert leading_number("4.2024年农村公路生命安全防护工程") == ("4", "2024年农村公路生命安全防护工程")
