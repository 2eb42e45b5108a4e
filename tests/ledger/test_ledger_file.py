import datetime
import io
from decimal import Decimal

from django.utils import translation

from tests.ledger.conftest import read, rows_of
from tongtui.core.choices import shown
from tongtui.orgs.roles import roles_of
from tongtui.plans.ledger import HEADERS, code_key, display_width, milestone_text, write_ledger
from tongtui.plans.models import Milestone, Source, Task, TaskStatus

EXPECTED = (
    "编号 序号 板块 重点任务 工作目标 主要举措 成果形式 牵头单位 配合单位 责任领导 责任人 开始时间 完成时限 时间节点 权重 "
    "任务来源 上级任务编号 最新进展 存在问题 下步计划 进度(%) 进展日期 状态 亮灯 亮灯原因"
).split()


def export(cast, tasks=None, **kwargs):
    buffer = io.BytesIO()
    write_ledger(cast.plan, tasks if tasks is not None else Task.objects.all(), buffer, **kwargs)
    return read(buffer.getvalue())


def test_the_header_row_is_exactly_what_the_importer_reads(cast):
    sheet = export(cast)
    assert list(HEADERS) == EXPECTED
    assert [c.value for c in sheet[2]] == EXPECTED


def test_row_one_is_the_merged_title_with_the_export_date(cast):
    sheet = export(cast, exported_on=datetime.date(2026, 11, 27))
    assert sheet["A1"].value == "2026年重点工作台账"
    assert "2026-11-27" in sheet["W1"].value
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert merged == {"A1:V1", "W1:Y1"}


def test_there_is_one_row_per_task_with_parents_before_children(cast):
    for code in ("10", "1.2", "1.10"):
        Task.objects.create(plan=cast.plan, code=code, title=f"任务{code}")
    Task.objects.create(plan=cast.plan, code="A-1", title="编号不同的子任务", parent=cast.task_c)
    rows = rows_of(export(cast))
    assert [r["编号"] for r in rows] == ["1", "1.2", "1.10", "2", "A-1", "10"]
    assert rows[4]["上级任务编号"] == "2"


def test_a_row_holds_the_tasks_units_people_and_dates(cast):
    task = cast.task_a
    task.goal, task.measures, task.deliverables = "全年增长6%", "月调度、季分析", "统计报表"
    task.progress, task.progress_note, task.progress_on = (
        Decimal("42.50"),
        "一季度开局良好",
        datetime.date(2026, 4, 25),
    )
    task.status, task.weight, task.source = TaskStatus.IN_PROGRESS, Decimal("2.5"), Source.CITY
    task.save()
    [row, _other] = rows_of(export(cast))
    assert row["板块"] == "产业转型升级"
    assert row["重点任务"] == "地区生产总值增长6%左右"
    assert (row["工作目标"], row["主要举措"], row["成果形式"]) == ("全年增长6%", "月调度、季分析", "统计报表")
    assert row["牵头单位"] == "区发展和改革局"
    assert row["配合单位"] == "区财政局"
    assert (row["责任领导"], row["责任人"]) == ("王副区长", "陈责任")
    assert row["开始时间"] == datetime.datetime(2026, 1, 1)
    assert row["完成时限"] == datetime.datetime(2026, 12, 31)
    assert row["进展日期"] == datetime.datetime(2026, 4, 25)
    assert (row["权重"], row["进度(%)"], row["最新进展"]) == (2.5, 42.5, "一季度开局良好")
    with translation.override("zh-hans"):
        assert row["任务来源"] == str(Source.CITY.label)
        assert row["状态"] == str(TaskStatus.IN_PROGRESS.label)
    assert row["上级任务编号"] is None


def test_co_units_are_listed_by_full_name_joined_with_a_dunhao(cast):
    cast.task_a.co_units.add(cast.unit_b)
    [row, _other] = rows_of(export(cast))
    assert row["配合单位"] == "区财政局、城关街道办事处"


def test_dates_are_real_excel_dates_shown_as_year_month_day(cast):
    sheet = export(cast)
    for column in ("L", "M"):
        cell = sheet[f"{column}3"]
        assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_without_a_due_date_the_deadline_is_written_as_the_notice_wrote_it(cast):
    Task.objects.filter(pk=cast.task_c.pk).update(due=None, deadline_text="持续推进")
    rows = rows_of(export(cast))
    assert rows[1]["完成时限"] == "持续推进"


def test_milestones_are_written_as_an_importable_schedule(cast):
    for title, due, planned, done in (
        ("完成立项", datetime.date(2026, 3, 31), 25, datetime.date(2026, 3, 20)),
        ("开工建设", datetime.date(2026, 6, 30), Decimal("52.5"), None),
        ("竣工验收", datetime.date(2027, 1, 15), 100, None),
    ):
        Milestone.objects.create(
            task=cast.task_a, title=title, due=due, planned_progress=planned, done_on=done
        )
    [row, _other] = rows_of(export(cast))
    assert (
        row["时间节点"] == "3月31日前完成立项(25%);\n6月30日前开工建设(52.5%);\n2027年1月15日前竣工验收(100%)"
    )


def test_milestone_text_is_empty_without_milestones():
    assert milestone_text([], 2026) == ""


def test_codes_sort_as_numbers():
    assert sorted(["1.10", "2", "1.2", "1"], key=code_key) == ["1", "1.2", "1.10", "2"]


def test_the_sheet_is_ready_to_print(cast):
    sheet = export(cast)
    assert sheet.freeze_panes == "E3"
    assert sheet.auto_filter.ref == "A2:Y4"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
    header = sheet["D2"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("DCE6F1") and header.border.left.style == "thin"
    cell = sheet["F3"]
    assert cell.alignment.wrap_text and cell.border.bottom.style == "thin"
    widths = {c: sheet.column_dimensions[c].width for c in "ADL"}
    assert widths["A"] < widths["L"] < widths["D"]


def test_a_liaisons_scope_is_whatever_queryset_is_passed(cast):
    rows = rows_of(export(cast, tasks=Task.objects.filter(pk=cast.task_c.pk)))
    assert [r["编号"] for r in rows] == ["2"]


# tasks, co-units, co-unit groups, milestones; lights, their reasons; open problems, the latest report's problems;
# next steps
QUERIES = 9


def office_viewer(cast):
    user = cast.user("office")
    roles_of(user)  # worked out once per request, before the export
    return user


def test_the_export_runs_a_fixed_number_of_queries_for_5_tasks(cast, many_tasks, django_assert_num_queries):
    many_tasks(5)
    viewer = office_viewer(cast)
    with django_assert_num_queries(QUERIES):
        write_ledger(cast.plan, Task.objects.all(), io.BytesIO(), viewer=viewer)


def test_the_export_runs_a_fixed_number_of_queries_for_50_tasks(cast, many_tasks, django_assert_num_queries):
    many_tasks(50)
    buffer = io.BytesIO()
    viewer = office_viewer(cast)
    with django_assert_num_queries(QUERIES):
        rows = write_ledger(cast.plan, Task.objects.with_related(), buffer, viewer=viewer)
    assert rows == 2 + 50 + 25
    last = {r["编号"]: r for r in rows_of(read(buffer.getvalue()))}["9.50"]
    assert last["配合单位"] == "城关街道办事处、区财政局"
    assert (last["亮灯"], last["下步计划"]) == ("红", "3月后继续推进")
    assert last["存在问题"] == "1.用地指标未落实\n2.4月资金未到位"


def test_a_cell_is_measured_in_columns_a_wide_character_counting_two():
    assert display_width("2026-05-01") == 10
    assert display_width("任务") == 4
    assert display_width("ＡＢ") == 4  # full-width letters are wide too
    assert display_width("a任务b") == 6
    assert display_width("") == 0


def test_the_state_and_source_read_as_the_model_says_them_in_either_language(cast):
    task = Task.objects.get(pk=cast.task_a.pk)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert shown(task, "status") == task.get_status_display()
            assert shown(task, "source") == task.get_source_display()
    with translation.override("en"):
        english = shown(task, "status")
    with translation.override("zh-hans"):
        assert shown(task, "status") != english
    task.status = "no-such-state"
    assert shown(task, "status") == "no-such-state"
