"""Writing people's text into .xlsx and .docx files so that no text can break a file or turn into a formula.

Text pasted from Word carries characters XML 1.0 forbids (a manual line break is U+000B, a page break
U+000C); openpyxl and python-docx refuse them, and one such character in a task title would make every
export that shows the title fail. Text that starts with = + - @ would be a live formula once someone edits
the cell in a spreadsheet program. Every export writes its text through `text`, `write_cell` or
`append_row` here; numbers, dates and booleans are written as they are.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import NamedStyle
from openpyxl.worksheet.worksheet import Worksheet

# Line and page breaks become line breaks; every other character XML 1.0 does not allow goes.
_BREAKS = re.compile("\r\n|[\x0b\x0c\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@")
_LEADING = " \t\r\n\u3000"
MAX_CELL = 32_767  # characters a spreadsheet cell holds; more makes Excel "repair" the file
_SHEET_TITLE = re.compile(r"[\\/?*\[\]:]")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def text(value: Any) -> str:
    """The value as text that any XML file may hold: breaks kept as line breaks, forbidden characters dropped."""
    if value is None:
        return ""
    return _FORBIDDEN.sub("", _BREAKS.sub("\n", str(value)))


def looks_like_formula(value: str) -> bool:
    return value.lstrip(_LEADING).startswith(FORMULA_START)


def cell_value(value: Any) -> Any:
    """What a cell may hold: numbers, dates and booleans as they are (an aware time in local time), the rest
    as clean text."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    return text(value)[:MAX_CELL]


def write_cell(sheet: Worksheet, row: int, column: int, value: Any, style: str = "") -> Cell:
    """Put a value into a cell: text stays text (never a formula, an error code or a number), dates get a
    date format. `style` names one of the workbook's named styles (see `named_style`), applied first."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "write into the top-left cell of a merged range"
    if style:
        cell.style = style
    _set(cell, value)
    return cell


def named_style(workbook: Workbook, name: str, **parts: Any) -> str:
    """Register a named style (font, border, alignment, fill…) once and return its name. A cell given the name
    takes all of it at once; setting its font, border and alignment one by one makes openpyxl look each part
    up by hashing it, which took most of the time of a ledger with thousands of rows."""
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name=name, **parts))
    return name


def append_row(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """`sheet.append` through `write_cell`: the next row after the last one used."""
    row = sheet._current_row + 1  # type: ignore[attr-defined]  # what openpyxl's own append uses
    return [write_cell(sheet, row, c, v) for c, v in enumerate(values, start=1)]


def sheet_title(value: Any) -> str:
    """A worksheet name Excel accepts: no \\ / ? * [ ] :, at most 31 characters, never empty."""
    cleaned = _SHEET_TITLE.sub(" ", text(value).replace("\n", " ")).strip(" '")[:31].strip(" '")
    return cleaned or "Sheet"


def _set(cell: Cell, value: Any) -> None:
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error; a person's text is text
        if looks_like_formula(value):
            cell.quotePrefix = True  # and stays text when someone edits the cell in Excel or WPS
    elif isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
