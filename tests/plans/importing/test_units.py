"""Splitting unit lists and matching names, in memory (no database)."""

import pytest

from tongtui.plans.importing.labels import inline_units, parse_duty, split_labelled
from tongtui.plans.importing.units import Directory, clean_unit, guess_kind, is_collective, split_units


def test_it_splits_on_every_separator_offices_use():
    assert split_units(
        "区发改局、区财政局,区税务局,区科技局;区经信局；区住建局/东湖街道|西山镇\n城关街道"
    ) == [
        "区发改局",
        "区财政局",
        "区税务局",
        "区科技局",
        "区经信局",
        "区住建局",
        "东湖街道",
        "西山镇",
        "城关街道",
    ]


@pytest.mark.parametrize(
    "text",
    ["各区(县、市)政府", "各镇(街道、园区)", "各县(市)区政府", "各镇政府(街道办事处)", "省数据局(省营商局)"],
)
def test_it_never_splits_inside_brackets(text):
    assert split_units(text) == [text.replace("（", "(").replace("）", ")")]


def test_brackets_of_every_kind_hold_together():
    assert split_units("各区人民政府〈含开发区、风景区〉、市财政局") == [
        "各区人民政府〈含开发区、风景区〉",
        "市财政局",
    ]


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("区国资委等", "区国资委"),
        ("市自然资源规划局等市级有关部门", "市自然资源规划局"),
        ("区科技局等区级有关部门", "区科技局"),
        ("区财政局等相关部门", "区财政局"),
        ("市级各有關部門及各縣市區政府按職責分工負責", "市级各有关部门及各县市区政府"),
        ("省发展改革委牵头", "省发展改革委"),
        ("各地配合", "各地"),
    ],
)
def test_it_strips_open_ended_tails(written, clean):
    assert clean_unit(written) == clean


@pytest.mark.parametrize(
    "name",
    [
        "各街道",
        "区直各部门",
        "各相关部门",
        "相关街道",
        "区疫情防控指挥部成员单位",
        "市级其他有关部门",
        "各地",
    ],
)
def test_collective_names_are_recognised(name):
    assert is_collective(name)


@pytest.mark.parametrize("name", ["区发改局", "城关街道", "区财政局", "海曙生态环境分局"])
def test_single_units_are_not_collective(name):
    assert not is_collective(name)


def test_kinds_of_new_units_are_guessed_from_their_names():
    assert guess_kind("东湖街道") == "subdistrict"
    assert guess_kind("西山镇人民政府") == "town"
    assert guess_kind("晋陵公司") == "company"
    assert guess_kind("崇川经济开发区") == "park"
    assert guess_kind("区代建中心") == "department"


@pytest.fixture
def directory() -> Directory:
    d = Directory()
    d.add_unit(1, "区发展和改革局", "区发改局", "区发改委")
    d.add_unit(2, "区农业局")
    d.add_unit(3, "区财政局")
    d.add_unit(4, "黄埔区政府")
    d.add_unit(5, "五星街道")
    d.add_unit(6, "南大街街道")
    d.add_unit(7, "荷花池街道")
    d.add_unit(8, "市发展和改革委员会", "市发改委")
    d.add_unit(9, "南沙区政府")
    d.add_group(20, ["各街道", "各镇(街道)"], [5, 6, 7])
    return d


def test_a_unit_written_several_ways_is_one_unit(directory):
    for written in ("区发展和改革局", "区发改局", "区发改委", "发改局", "区 发改局", "区发改局 "):
        hits = directory.resolve(written)
        assert [(h.kind, h.unit_ids) for h in hits] == [("unit", (1,))], written


def test_a_level_prefix_does_not_match_another_level(directory):
    assert directory.resolve("市发改委")[0].unit_ids == (8,)
    assert directory.resolve("县发改局")[0].kind == "unknown"


def test_a_shared_prefix_is_expanded_when_the_unit_exists(directory):
    hits = directory.resolve_list(["区发改局", "农业局"])
    assert [h.unit_ids for h in hits] == [(1,), (2,)]


def test_a_shared_suffix_is_expanded_when_the_unit_exists(directory):
    hits = directory.resolve_list(["黄埔区", "南沙区政府"])
    assert [h.unit_ids for h in hits] == [(4,), (9,)]


def test_names_run_together_are_cut_into_known_units(directory):
    hits = directory.resolve("五星街道南大街街道荷花池街道")
    assert [h.unit_ids for h in hits] == [(5,), (6,), (7,)]


def test_collective_names_expand_through_unit_groups(directory):
    hit = directory.resolve("各镇(街道)")[0]
    assert hit.kind == "group" and hit.unit_ids == (5, 6, 7) and hit.label == "各街道"


def test_unknown_and_collective_names_are_told_apart(directory):
    assert directory.resolve("区金融办")[0].kind == "unknown"
    assert directory.resolve("各有关部门")[0].kind == "collective"
    assert directory.resolve("区金融办", create=True)[0].kind == "new"


def test_the_users_mapping_wins(directory):
    assert directory.resolve("金融办", {"金融办": "unit:3"})[0].unit_ids == (3,)
    assert directory.resolve("金融办", {"金融办": "create"})[0].kind == "new"
    assert directory.resolve("金融办", {"金融办": "skip"})[0].kind == "skip"


def test_two_leads_joined_by_and_are_two_units(directory):
    hits = directory.resolve("区发改局和区财政局")
    assert [h.unit_ids for h in hits] == [(1,), (3,)]
    assert directory.resolve("区发展和改革局")[0].unit_ids == (1,)


def test_labelled_lines_are_split_into_fields():
    title, values = split_labelled("1.地区生产总值增长6%左右。 牵头单位:区发改局 责任单位:各街道,区直各部门")
    assert title == "1.地区生产总值增长6%左右。"
    assert values == {"lead": "区发改局", "duty": "各街道,区直各部门"}


def test_units_in_a_trailing_bracket_leave_the_title():
    assert inline_units("积极推进梯队企业培育计划。(区发改局、金融办)") == (
        "积极推进梯队企业培育计划。",
        {"duty": "区发改局、金融办"},
    )
    assert inline_units("切实巩固疫情防控成果[牵头单位:区卫健局;责任单位:各街办(新区)]") == (
        "切实巩固疫情防控成果",
        {"lead": "区卫健局", "duty": "各街办(新区)"},
    )


def test_an_unclosed_labelled_bracket_still_counts():
    title, values = inline_units("地区生产总值增长7.5%。(牵头单位:市发改委;责任单位:各区人民政府〈含开发区、")
    assert title == "地区生产总值增长7.5%。"
    assert values["lead"] == "市发改委"


def test_a_bracket_that_is_part_of_the_title_stays():
    for title in ("建成投用中小学3所(含幼儿园)", "城市棚户区改造(户)", "完成一期工程(试点)"):
        assert inline_units(title) == (title, {})


def test_a_division_of_duties_is_read_apart():
    duty = parse_duty("分管副省长、协管副秘书长负责,省发展改革委牵头,省工业和信息化厅、省统计局配合")
    assert duty.leaders == ["分管副省长", "协管副秘书长"]
    assert duty.leads == ["省发展改革委"]
    assert duty.cos == ["省工业和信息化厅", "省统计局"]
    duty = parse_duty("经济投资局和航空口岸局分别牵头、区发改局")
    assert duty.leads == ["经济投资局和航空口岸局"] and duty.rest == ["区发改局"]
