"""The lights of a plan as an .xlsx sheet: one row per task, as known on any date."""

import datetime
import os
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tongtui.core.officefiles import append_row, sheet_title
from tongtui.plans.ledger import code_key
from tongtui.plans.models import Task
from tongtui.supervision.models import LightState
from tongtui.supervision.recompute import iter_results
from tongtui.supervision.signals.lights import LightResult

FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "blue": "BDD7EE", "grey": "D9D9D9"}


def headers() -> list[str]:
    return [
        _("Code"),
        _("Title"),
        _("Lead unit"),
        _("Light"),
        _("Reasons"),
        _("Forecast finish"),
        _("Planned progress (%)"),
        _("Actual progress (%)"),
    ]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def light_rows(tasks: QuerySet[Task], as_of: datetime.date) -> list[list[Any]]:
    """One row per task: code, title, lead unit, light, reasons, forecast finish, planned %, actual %."""
    info = {
        pk: (code, title, unit_short or unit_name or "")
        for pk, code, title, unit_short, unit_name in tasks.values_list(
            "pk", "code", "title", "lead_unit__short_name", "lead_unit__name"
        )
    }
    lang = translation.get_language() or "zh-hans"
    labels = dict(LightState.choices)
    results: Iterable[LightResult] = iter_results(info, as_of)
    rows = []
    for r in results:
        code, title, unit = info[r.task_id]
        finish = r.forecast.finish if r.forecast is not None else None
        rows.append(
            [
                code,
                title,
                unit,
                str(labels[r.light.value]),
                "；".join(r.texts(lang)),
                finish,
                _pct(r.planned),
                _pct(r.progress),
            ]
        )
    rows.sort(key=lambda row: code_key(str(row[0])))
    return rows


def write_lights(
    tasks: QuerySet[Task], as_of: datetime.date, output: str | os.PathLike[str] | IO[bytes], *, title: str
) -> int:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(_("Lights"))
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [_("As of %(date)s") % {"date": as_of.isoformat()}])
    for cell in append_row(sheet, headers()):
        cell.font = Font(bold=True)
    rows = light_rows(tasks, as_of)
    light_names = {str(label): value for value, label in LightState.choices}
    for row in rows:
        r = append_row(sheet, row)[0].row
        fill = FILLS.get(light_names.get(row[3], ""), "")
        if fill:
            sheet.cell(r, 4).fill = PatternFill("solid", fgColor=fill)
        sheet.cell(r, 5).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(r, 6).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGH", (10, 40, 16, 14, 60, 14, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    book.save(output)
    return len(rows)
