"""Large and hostile files are refused safely, before a parser inflates them: zip bombs, too many rows, cells or
merged ranges. The hostile files are built here."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tests.plans.importing import builder
from tongtui.plans.importing.limits import TooLarge, check_archive
from tongtui.plans.importing.readers import UnreadableFile, read_file
from tongtui.plans.models import TaskImport

MB = 1024 * 1024


def workbook(rows: int = 3, width: int = 3, merged: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "牵头单位"][:width] + [f"列{i}" for i in range(3, width)])
    for i in range(1, rows + 1):
        ws.append([str(i), f"任务{i}", "区发改局"][:width] + [""] * max(0, width - 3))
    for ref in merged or []:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_merge(data: bytes, ref: str) -> bytes:
    """The workbook with one more merged range written straight into the sheet's XML (openpyxl would build a
    cell object for every cell of a range over the whole sheet)."""
    good = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            body = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
                body = body.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
            z.writestr(info, body)
    return out.getvalue()


def bomb(inflated: int, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A real workbook whose first sheet is replaced by `inflated` bytes of zeros, compressed as far as deflate
    goes (about a thousandth), written a megabyte at a time so that building it costs no memory either."""
    good = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in good.infolist():
            if info.filename == part:
                member = zipfile.ZipInfo(part)
                member.compress_type = zipfile.ZIP_DEFLATED
                with z.open(member, "w", force_zip64=True) as sink:
                    chunk = b"\0" * MB
                    for _ in range(inflated // MB):
                        sink.write(chunk)
            else:
                z.writestr(info, good.read(info.filename))
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_inflates_it():
    data = bomb(700 * MB)
    assert len(data) < 1 * MB  # a small upload…
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="Unpacked, the file would take 700"):
            read_file("bomb.xlsx", data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB  # …that never reaches 700 MB


def test_one_member_inflating_far_more_than_any_task_book_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED = 1000 * MB
    with pytest.raises(TooLarge, match="inflates"):
        check_archive(bomb(40 * MB))


def test_a_docx_bomb_is_refused_before_python_docx_opens_it(tmp_path):
    grid = builder.table(builder.realworld_rows("海曙"))
    docx = builder.write_docx(tmp_path / "b.docx", grid).read_bytes()
    good = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            z.writestr(info, good.read(info.filename))
        member = zipfile.ZipInfo("word/media/padding.bin")
        member.compress_type = zipfile.ZIP_DEFLATED
        with z.open(member, "w", force_zip64=True) as sink:
            for _ in range(100):
                sink.write(b"\0" * MB)
    with pytest.raises(UnreadableFile, match="Unpacked"):
        read_file("b.docx", out.getvalue())


def test_a_lying_archive_is_unreadable_not_inflated():
    """A member that declares a small size but holds a large stream: zipfile stops at the declared size."""
    data = bytearray(bomb(20 * MB))
    # the central directory entry of the sheet: patch its declared size (and the local header's) to 100 bytes
    start = data.rfind(b"PK\x01\x02")
    while start != -1:
        name_len = int.from_bytes(data[start + 28 : start + 30], "little")
        name = bytes(data[start + 46 : start + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            break
        start = data.rfind(b"PK\x01\x02", 0, start)
    extra = start + 46 + name_len
    if data[start + 24 : start + 28] == b"\xff\xff\xff\xff":  # zip64: the size lives in the extra field
        data[extra + 4 : extra + 12] = (100).to_bytes(8, "little")
    else:
        data[start + 24 : start + 28] = (100).to_bytes(4, "little")
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile):
            read_file("lying.xlsx", bytes(data))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * MB


def test_too_many_rows_are_refused_with_a_message(settings):
    settings.IMPORT_MAX_ROWS = 50
    with pytest.raises(TooLarge, match="more than 50 rows"):
        read_file("big.xlsx", workbook(rows=60))
    text = "序号,重点任务,牵头单位\n" + "".join(f"{i},任务{i},区发改局\n" for i in range(60))
    with pytest.raises(TooLarge, match="more than 50 rows"):
        read_file("big.csv", text.encode())
    with pytest.raises(TooLarge, match="more than 50 rows"):
        read_file("big.txt", "".join(f"{i}.任务{i} 牵头单位:区发改局\n" for i in range(60)).encode())
    assert len(read_file("ok.xlsx", workbook(rows=40))[0].lines) == 41


def test_too_many_cells_are_refused_even_when_empty(settings):
    settings.IMPORT_MAX_CELLS = 5_000
    with pytest.raises(TooLarge, match="more than 5,000 cells"):
        read_file("wide.xlsx", workbook(rows=100, width=60))


def test_merged_ranges_are_counted_and_cut_to_the_table(settings):
    settings.IMPORT_MAX_MERGED = 3
    with pytest.raises(TooLarge, match="more than 3 merged ranges"):
        read_file("m.xlsx", workbook(merged=["D1:E1", "D2:E2", "D3:E3", "D4:E4"]))
    settings.IMPORT_MAX_MERGED = 10
    (grid,) = read_file("m.xlsx", with_merge(workbook(rows=3), "A2:XFD1048576"))
    assert max(len(line.cells) for line in grid.lines) == 3  # a range over the whole sheet adds nothing


def test_a_100000_row_book_is_refused_at_upload_not_a_server_error(district):
    c = district.cast.client("office")
    c.cookies["django_language"] = "en"
    rows = "".join(f"{i},地区生产总值增长任务{i},区发改局,区财政局\n" for i in range(100_000))
    data = ("序号,重点任务,牵头单位,配合单位\n" + rows).encode()
    response = c.post(
        reverse("task-import", args=[2026]),
        {"file": SimpleUploadedFile("huge.csv", data), "lead_rule": "first"},
    )
    assert response.status_code == 400
    assert "more than 10,000 rows" in response.content.decode()
    assert not TaskImport.objects.exists()


def test_the_command_refuses_a_file_over_the_limits(district, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 10
    path = tmp_path / "big.csv"
    path.write_text("序号,重点任务,牵头单位\n" + "".join(f"{i},任务{i},区发改局\n" for i in range(20)), "utf-8")
    with pytest.raises(CommandError, match="more than 10 rows"):
        call_command("import_tasks", str(path), "--plan", "2028", stdout=io.StringIO())
