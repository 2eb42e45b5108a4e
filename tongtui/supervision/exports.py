"""Spreadsheets of supervision lists (.xlsx, openpyxl): one header row, one row per item, ready to filter.
Cells are written through core.officefiles: text stays text, dates are dates."""

import datetime
from collections.abc import Iterable, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from tongtui.core.officefiles import append_row, sheet_title

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def write_xlsx(out: IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(title)
    for cell in append_row(ws, headers):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    widths = [max(6, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in row]
        append_row(ws, values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v or "")) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    wb.save(out)
