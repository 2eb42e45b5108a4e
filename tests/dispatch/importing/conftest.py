"""Ledgers written with openpyxl in the test, and the cast's two tasks handed out in January."""

import io

import pytest
from openpyxl import Workbook

from tongtui.plans import actions as plan_actions


@pytest.fixture
def handed_out(cast):
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=cast.user("office"))
    cast.task_a.refresh_from_db()
    cast.task_c.refresh_from_db()
    return cast


def xlsx(*rows: list[object], title: str | None = None) -> bytes:
    """A one-sheet workbook; with `title`, a merged title row above the header, as offices write them."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def ledger_file(tmp_path):
    def write(data: bytes, name: str = "台账.xlsx"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
