"""Builds task-book files in every format from tests/data/realworld_tasks.csv (127 rows transcribed from
published government documents), and small hand-made books for single behaviours."""

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

DATA = Path(__file__).resolve().parents[2] / "data"
REALWORLD = DATA / "realworld_tasks.csv"

# (header, column of realworld_tasks.csv)
LEDGERISH = [
    ("序号", "seq"),
    ("重点任务", "task_text"),
    ("牵头单位", "lead_unit"),
    ("配合单位", "co_units_raw"),
    ("责任领导", "leader"),
    ("完成时限", "deadline_text"),
]


def realworld_rows(*regions: str) -> list[dict[str, str]]:
    with REALWORLD.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if regions:
        rows = [r for r in rows if any(region in r["region"] for region in regions)]
    return rows


def _sections(rows: Iterable[dict[str, str]]) -> Iterable[tuple[list[str], dict[str, str]]]:
    """Each row with the headings that start before it: the document (region, year), then its sections."""
    last: list[str] = []
    for row in rows:
        path = [f"{row['region']} {row['year']}"] + [
            p.strip() for p in row["section"].split(" / ") if p.strip()
        ]
        i = 0
        while i < min(len(path), len(last)) and path[i] == last[i]:
            i += 1
        last = path
        yield path[i:], row


def table(
    rows: Iterable[dict[str, str]], columns: Sequence[tuple[str, str]] = LEDGERISH, with_sections: bool = True
) -> list[list[str]]:
    """Header row, then the rows; section headings as rows of one repeated value (as merged cells read)."""
    out: list[list[str]] = [[h for h, _c in columns]]
    for headings, row in _sections(rows):
        if with_sections:
            for h in headings:
                out.append(["\x00" + h])
        out.append([row[c] for _h, c in columns])
    return out


def write_xlsx(
    path: Path, grid: list[list[str]], *, title: str = "2026年重点工作任务分解表", sheet: str = "任务"
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    width = len(grid[0])
    r = 1
    if title:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        r = 2
    for cells in grid:
        if cells and cells[0].startswith("\x00"):
            ws.cell(r, 1, cells[0][1:])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        else:
            for c, value in enumerate(cells, start=1):
                ws.cell(r, c, _typed(value))
        r += 1
    wb.save(path)
    return path


def _typed(value: str) -> object:
    return int(value) if value.isdigit() and len(value) < 6 else (value or None)


def write_csv(path: Path, grid: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in grid:
        if cells and cells[0].startswith("\x00"):
            writer.writerow([cells[0][1:]] + [""] * (len(grid[0]) - 1))
        else:
            writer.writerow(cells)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_docx(path: Path, grid: list[list[str]], *, title: str = "2026年重点工作任务分解表") -> Path:
    """A Word notice: the title as a paragraph, then one table; section rows merged across the table."""
    document = Document()
    document.add_paragraph(title).runs[0].font.size = Pt(16)
    tbl = document.add_table(rows=0, cols=len(grid[0]))
    for cells in grid:
        row_cells = tbl.add_row().cells
        if cells and cells[0].startswith("\x00"):
            merged = row_cells[0].merge(row_cells[-1])
            merged.text = cells[0][1:]
            continue
        for cell, value in zip(row_cells, cells, strict=True):
            cell.text = value
    document.save(path)
    return path


def to_text(rows: Iterable[dict[str, str]]) -> str:
    """The labelled-line form of a published notice: headings, numbered tasks, 牵头单位:/责任单位: labels."""
    lines: list[str] = []
    for headings, row in _sections(rows):
        lines.extend(headings)
        seq = row["seq"]
        number = seq if seq.startswith(("(", "(")) else f"{seq}." if seq else ""
        line = f"{number}{row['task_text']}"
        if row["lead_unit"]:
            line += f" 牵头单位:{row['lead_unit']}"
        if row["co_units_raw"]:
            line += f" 责任单位:{row['co_units_raw']}"
        if row["leader"]:
            line += f" 责任领导:{row['leader']}"
        if row["deadline_text"]:
            line += f" 完成时限:{row['deadline_text']}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def xlsx_bytes(grid: list[list[str]], tmp: Path, **kwargs: str) -> bytes:
    return write_xlsx(tmp / "book.xlsx", grid, **kwargs).read_bytes()
