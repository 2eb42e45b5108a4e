"""Text into spreadsheets and documents: no character breaks the file, no text becomes a formula, numbers and
dates stay numbers and dates. Then every xlsx export of supervision, fed text pasted from Word."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side

from tongtui.core.gbt9704 import OfficialDocument
from tongtui.core.officefiles import (
    MAX_CELL,
    append_row,
    looks_like_formula,
    named_style,
    sheet_title,
    text,
    write_cell,
)
from tongtui.plans.models import Task
from tongtui.supervision import actions_orders
from tongtui.supervision.models import IntegrityFlag, TaskLight

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "-1+2", "@SUM(A1)", "+1", "  =1+1", "\t=cmd", "\r=2"]
DIRTY = "第一行\x0b第二行\x0c第三行\x00\x01\x08\x1f\ufffe完"


def reload(book: Workbook) -> openpyxl.worksheet.worksheet.Worksheet:
    buffer = io.BytesIO()
    book.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active


def test_breaks_become_line_breaks_and_forbidden_characters_go():
    assert text(DIRTY) == "第一行\n第二行\n第三行完"
    assert text("a\r\nb") == "a\nb"
    assert text("\ud800x") == "x"
    assert text(None) == ""
    assert text("制表\t保留") == "制表\t保留"


@pytest.mark.parametrize("value", FORMULAS)
def test_text_that_starts_like_a_formula_is_noticed(value):
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", ["1-2", "地区生产总值", "", "  项目"])
def test_ordinary_text_is_not_a_formula(value):
    assert not looks_like_formula(value)


def test_formulas_error_codes_and_pasted_characters_are_written_as_text():
    book = Workbook()
    sheet = book.active
    values = [*FORMULAS, "#N/A", DIRTY]
    for c, value in enumerate(values, start=1):
        write_cell(sheet, 1, c, value)
    back = reload(book)
    for c, value in enumerate(values, start=1):
        cell = back.cell(1, c)
        assert cell.data_type == "s"
        assert cell.value == text(value)
    assert back.cell(1, 1).quotePrefix  # stays text when someone edits the cell
    assert not back.cell(1, len(values)).quotePrefix


def test_numbers_and_dates_stay_numbers_and_dates():
    book = Workbook()
    sheet = book.active
    aware = datetime.datetime(2026, 5, 1, 1, 30, tzinfo=datetime.UTC)
    append_row(sheet, [-1, Decimal("-2.5"), 3.25, True, datetime.date(2026, 5, 1), aware, None])
    back = reload(book)
    assert [c.value for c in back[1][:4]] == [-1, -2.5, 3.25, True]
    assert [c.data_type for c in back[1][:3]] == ["n", "n", "n"]
    assert back["E1"].is_date and back["E1"].number_format == "yyyy-mm-dd"
    local = aware.astimezone(ZoneInfo(timezone.get_current_timezone_name())).replace(tzinfo=None)
    assert back["F1"].value == local and back["F1"].number_format == "yyyy-mm-dd hh:mm"
    assert back["G1"].value is None


def test_a_named_style_is_registered_once_and_keeps_what_the_value_needs():
    book = Workbook()
    sheet = book.active
    first = named_style(book, "正文", font=Font(name="宋体", size=10), border=Border(left=Side(style="thin")))
    again = named_style(book, "正文", font=Font(name="黑体", size=16))  # the name is taken: the first one stays
    assert first == again == "正文"
    assert [s for s in book.named_styles if s == "正文"] == ["正文"]
    write_cell(sheet, 1, 1, datetime.date(2026, 5, 1), "正文")
    write_cell(sheet, 1, 2, "=1+1", "正文")
    write_cell(sheet, 1, 3, "平常的字", "正文")
    back = reload(book)
    for cell in back[1]:
        assert (cell.font.name, cell.font.sz, cell.border.left.style) == ("宋体", 10, "thin")
    # the style does not wipe what the value set: a date's format, a formula-like text's quote
    assert back["A1"].is_date and back["A1"].number_format == "yyyy-mm-dd"
    assert back["B1"].value == "=1+1" and back["B1"].data_type == "s" and back["B1"].quotePrefix
    assert not back["C1"].quotePrefix


def test_append_row_starts_on_the_first_row_and_follows_on():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["标题"])
    append_row(sheet, ["表头", "=1"])
    assert [sheet["A1"].value, sheet["A2"].value, sheet["B2"].value] == ["标题", "表头", "=1"]


def test_a_cell_never_holds_more_than_excel_allows():
    book = Workbook()
    write_cell(book.active, 1, 1, "长" * (MAX_CELL + 10))
    assert len(reload(book)["A1"].value) == MAX_CELL


def test_sheet_titles_lose_what_excel_refuses():
    assert sheet_title("2026/04:[台账]*?") == "2026 04  台账"
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("\x0b") == "Sheet"


def test_a_document_takes_any_text_and_keeps_it_readable():
    doc = OfficialDocument(issuer="区委区政府督查室\x0b", number="交办〔2026〕1号")
    doc.title(DIRTY)
    doc.paragraph(FORMULAS[0])
    doc.form([("工作事项", DIRTY)])
    doc.table(["序号", "内容"], [20, 136], [["1", DIRTY]])
    opened = docx.Document(io.BytesIO(doc.to_bytes()))
    paragraphs = [p.text for p in opened.paragraphs]
    assert "第一行\n第二行\n第三行完" in paragraphs
    assert FORMULAS[0] in paragraphs
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    assert cells.count("第一行\n第二行\n第三行完") == 2


# every xlsx export of supervision, fed the same pasted text

TITLE = '老旧小区改造\x0b=HYPERLINK("http://evil.example","点我")\x01'
PROBLEM = "@SUM(A1)\x0c资金未到位\x1f"
REQUIREMENT = "-1+2\x08限期整改"


@pytest.fixture
def dirty(cast):
    Task.objects.filter(pk=cast.task_a.pk).update(title=TITLE)
    now = timezone.now()
    TaskLight.objects.create(task=cast.task_a, light="red", as_of=datetime.date(2026, 11, 1), computed_at=now)
    actions_orders.issue_order(
        by=cast.user("office"), plan=cast.plan, unit=cast.unit_a, task=cast.task_a, problem=PROBLEM,
        requirement=REQUIREMENT, workdays=3, issued_on=datetime.date(2026, 9, 30),
    )  # fmt: skip
    IntegrityFlag.objects.create(
        plan=cast.plan, kind="deadline_jump", task=cast.task_a, unit=cast.unit_a, strength=0.8,
        reason="=1+1\x0b进度跳升", reason_en="x", as_of=datetime.date(2026, 11, 1), computed_at=now,
        fingerprint="f1",
    )  # fmt: skip
    return cast


def cells_of(sheet) -> list:
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def assert_text_kept(sheet, *expected: str) -> None:
    values = [c.value for c in cells_of(sheet)]
    for value in expected:
        assert text(value) in values
    for cell in cells_of(sheet):
        assert cell.data_type != "f"


@pytest.mark.parametrize("name,expected", [("lagging", [TITLE]), ("orders", [PROBLEM, REQUIREMENT]),
                                           ("flags", ["=1+1\x0b进度跳升"])])  # fmt: skip
def test_the_desk_exports_open_and_hold_the_text(dirty, name, expected):
    response = dirty.client("office").get(f"/supervision/desk/?export={name}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert_text_kept(sheet, *expected)


def test_the_lights_export_opens_and_holds_the_title(dirty, tmp_path):
    out = tmp_path / "lights.xlsx"
    call_command("lights", "--plan", "2026", "--as-of", "2026-04-26", "-o", str(out))
    sheet = openpyxl.load_workbook(out).active
    assert_text_kept(sheet, TITLE)
    assert sheet["A4"].value == "1" and sheet["A4"].data_type == "s"


def test_the_integrity_export_opens_and_holds_the_title(dirty, tmp_path):
    out = tmp_path / "flags.xlsx"
    call_command("integrity", "--plan", "2026", "--as-of", "2026-11-01", "-o", str(out))
    sheet = openpyxl.load_workbook(out).active
    for cell in cells_of(sheet):
        assert cell.data_type != "f"
    assert [c.value for c in sheet[1]][:2] == ["任务编号", "任务名称"]
