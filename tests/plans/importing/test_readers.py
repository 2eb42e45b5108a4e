"""Every format: the real-world rows written as xlsx, csv, docx and pasted text read to the same tasks."""

import datetime
import io

import pytest
from docx import Document
from openpyxl import Workbook

from tests.plans.importing import builder
from tongtui.plans.importing.book import Options, build_book
from tongtui.plans.importing.people import People
from tongtui.plans.importing.readers import Grid, Title, UnreadableFile, read_file, read_text
from tongtui.plans.importing.units import Directory

REALWORLD = builder.realworld_rows()


def offline_book(filename: str, data: bytes, **options):
    """A preview without the database: every unit is new, every person is new."""
    blocks = read_file(filename, data, options.pop("sheet", None))
    return build_book(
        blocks, Options(year=2026, create_units=True, **options), directory=Directory(), people=People()
    )


def essence(book):
    return [
        (
            r.title,
            r.lead.written if r.lead else "",
            sorted(h.written for h in r.co),
            r.leader.name if r.leader else "",
            r.due,
            r.parent_code != "",
        )
        for r in book.rows
    ]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("books")
    grid = builder.table(REALWORLD)
    return {
        "xlsx": builder.write_xlsx(tmp_path / "book.xlsx", grid).read_bytes(),
        "csv": builder.write_csv(tmp_path / "book.csv", grid).read_bytes(),
        "docx": builder.write_docx(tmp_path / "book.docx", grid).read_bytes(),
        "txt": builder.to_text(REALWORLD).encode("utf-8"),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx", "txt"])
def test_all_real_world_rows_read_in_every_format(files, fmt):
    book = offline_book(f"book.{fmt}", files[fmt])
    assert len(book.rows) == len(REALWORLD) == 127
    assert book.ok, book.all_errors[:5]
    assert len({r.code for r in book.rows}) == 127  # numbering restarts are made unique


def test_every_format_reads_the_same_tasks(files):
    reference = essence(offline_book("book.xlsx", files["xlsx"]))
    for fmt in ("csv", "docx", "txt"):
        assert essence(offline_book(f"book.{fmt}", files[fmt])) == reference, fmt


def test_csv_in_gb18030_and_with_a_bom_reads_the_same(tmp_path):
    grid = builder.table(builder.realworld_rows("海曙"))
    plain = builder.write_csv(tmp_path / "a.csv", grid, encoding="utf-8").read_bytes()
    bom = builder.write_csv(tmp_path / "b.csv", grid, encoding="utf-8-sig").read_bytes()
    gbk = builder.write_csv(tmp_path / "c.csv", grid, encoding="gb18030").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and gbk != plain
    books = [offline_book("x.csv", data) for data in (plain, bom, gbk)]
    assert essence(books[0]) == essence(books[1]) == essence(books[2])
    assert books[0].rows[0].title == "一般公共预算收入增长6%。"


def test_semicolon_separated_csv_is_sniffed():
    data = "序号;重点任务;牵头单位\n1;地区生产总值增长6%;区发改局\n".encode()
    book = offline_book("x.csv", data)
    assert book.rows[0].lead.written == "区发改局"


def test_xlsx_merged_cells_count_for_every_row_they_cover(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "主要内容", "牵头单位", "完成时限"])
    ws.append(
        [9, "深化养老保险制度改革", "完成在职参保人数6300人", "区人社局", datetime.datetime(2026, 6, 30)]
    )
    ws.append([None, None, "完成征缴基金10000万元", None, "12月底前"])
    ws.append([None, None, "城市低保补差水平月均达到300元", "区民政局", None])
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B4")
    ws.merge_cells("D2:D3")
    wb.save(tmp_path / "m.xlsx")
    book = offline_book("m.xlsx", (tmp_path / "m.xlsx").read_bytes())
    assert [(r.code, r.parent_code) for r in book.rows] == [("9", ""), ("9-1", "9"), ("9-2", "9")]
    assert [r.lead.written for r in book.rows] == ["区人社局", "区人社局", "区民政局"]
    assert book.rows[0].due == datetime.date(2026, 6, 30) and book.rows[0].deadline_text is None
    assert book.rows[1].texts["goal"] == "完成征缴基金10000万元"


def test_several_sheets_are_read_and_rows_named_by_sheet(tmp_path):
    wb = Workbook()
    first = wb.active
    first.title = "附件1"
    first.append(["序号", "2022年预期目标", "责任单位"])
    first.append([1, "地区生产总值增长5.5%左右", "区发展改革委"])
    second = wb.create_sheet("附件2")
    second.append(["序号", "重点任务", "牵头单位", "配合单位"])
    second.append([1, "推进成渝双城经济圈建设", "区发展改革委", "区商务委"])
    wb.save(tmp_path / "s.xlsx")
    data = (tmp_path / "s.xlsx").read_bytes()
    book = offline_book("s.xlsx", data)
    assert [(r.ref, r.code) for r in book.rows] == [("附件1!2", "1.1"), ("附件2!2", "2.1")]
    only = offline_book("s.xlsx", data, sheet="附件2")
    assert [r.title for r in only.rows] == ["推进成渝双城经济圈建设"]
    with pytest.raises(UnreadableFile):
        read_file("s.xlsx", data, "附件3")


def test_docx_tables_with_headings_between_them(tmp_path):
    """鄞州 style: one table per leader section, each under its heading paragraph, numbering restarting."""
    document = Document()
    document.add_paragraph("2024年政府工作报告目标任务分解清单")
    for heading, tasks in (
        (
            "一、区长陈兴立牵头重点工作",
            [("1", "一般公共预算收入增速与经济增长同步", "区财政局", "区税务局\n各镇(街道、园区)")],
        ),
        ("二、常务副区长姚珂军牵头重点工作", [("1", "地区生产总值增长6%左右", "区发改局", "")]),
    ):
        document.add_paragraph(heading)
        table = document.add_table(rows=1, cols=4)
        for cell, text in zip(table.rows[0].cells, ("序号", "目标任务", "牵头单位", "配合单位"), strict=True):
            cell.text = text
        for task in tasks:
            cells = table.add_row().cells
            for cell, text in zip(cells, task, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    book = offline_book("y.docx", buffer.getvalue())
    assert [r.code for r in book.rows] == ["1.1", "2.1"]
    assert [r.leader.name for r in book.rows] == ["陈兴立", "姚珂军"]
    # a cell with two lines, two names: a unit and a collective name, kept as a unit group to fill later
    assert [(h.written, h.kind) for h in book.rows[0].co] == [("区税务局", "new"), ("各镇(街道、园区)", "newgroup")]
    assert book.new_groups == {"各镇(街道、园区)": "各镇(街道、园区)"}


def test_a_docx_without_tables_is_read_as_the_text_of_a_notice():
    document = Document()
    document.add_paragraph("1.地区生产总值增长6%左右。 牵头单位:区发改局 责任单位:各街道,区直各部门")
    buffer = io.BytesIO()
    document.save(buffer)
    book = offline_book("n.docx", buffer.getvalue())
    assert book.rows[0].title == "地区生产总值增长6%左右。"


def test_pasted_text_with_labels_on_their_own_lines():
    blocks = read_text(
        "2023年全区经济社会发展的主要预期目标\n"
        "(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n"
        "(二)规上工业增加值增长12%\n以上\n牵头单位:区科技和经信局\n配合单位:区发改局\n完成时限:12月底前\n"
    )
    assert isinstance(blocks[0], Title)
    grid = blocks[1]
    assert isinstance(grid, Grid)
    assert [ln.cells[:2] for ln in grid.lines] == [
        ["1", "地区生产总值增长7%以上"],
        ["2", "规上工业增加值增长12%以上"],
    ]
    book = build_book(blocks, Options(year=2026, create_units=True), directory=Directory(), people=People())
    first, second = book.rows
    assert first.lead.written == "区发展和改革局"
    assert (second.lead.written, [h.written for h in second.co]) == ("区科技和经信局", ["区发改局"])
    assert second.due == datetime.date(2026, 12, 31)
    assert [r.ref for r in book.rows] == ["2", "4"]  # the lines the tasks start on


def test_pasted_text_with_a_combined_division_of_duties():
    text = "1.地区生产总值增长6%以上。部门分工:省发展改革委牵头,各地、各部门配合。\n"
    book = build_book(
        read_text(text), Options(year=2026, create_units=True), directory=Directory(), people=People()
    )
    row = book.rows[0]
    assert row.lead.written == "省发展改革委"
    # 各地 and 各部门 match no unit group: never left out, kept as unit groups to create and fill later
    assert [(h.written, h.kind) for h in row.co] == [("各地", "newgroup"), ("各部门", "newgroup")]


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("x.xlsx", b"not a workbook"),
        ("x.docx", b"PK\x03\x04broken"),
        ("x.csv", b"\xff\xfe\x00\xd8\x00"),
        ("x.pdf", b"%PDF-1.4"),
    ],
)
def test_files_that_cannot_be_read_say_so(filename, data):
    with pytest.raises(UnreadableFile):
        read_file(filename, data)
