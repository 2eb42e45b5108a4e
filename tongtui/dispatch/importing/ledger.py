"""Blocks of rows (read by the task-book readers) -> ledger entries, one per task and month.

Two layouts are understood:

- long: one row per task and period, with columns such as 编号 / 任务名称, 月份 / 期间 / 报送时间,
  进度(%) / 完成比例, 进展情况 / 工作进展;
- wide: one row per task and one column per month, "1月进展", "2月进展" … or cumulative "1-3月推进情况",
  "1-11月推进情况", holding text with a percentage ("完成60%,已开工建设"), optionally beside a percentage
  column per month ("3月进度(%)"). A month header over two sub-columns (进度 | 进展) is read as well.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tongtui.dispatch.importing.cells import (
    Month,
    is_ratio_column,
    month_prefix,
    parse_date,
    parse_month,
    parse_percent,
    parse_progress,
)
from tongtui.plans.importing.headers import field_of
from tongtui.plans.importing.normalize import key, squash
from tongtui.plans.importing.readers import Block, Grid, Line
from tongtui.plans.importing.sections import normalize_code

LONG, WIDE = "long", "wide"
PROGRESS, TEXT = "progress", "text"

SYNONYMS: dict[str, tuple[str, ...]] = {
    "period": (
        "月份",
        "期间",
        "报送期间",
        "所属期间",
        "所属月份",
        "报告期",
        "时间",
        "月度",
        "报送月份",
        "统计期间",
        "进展月份",
        "调度期间",
        "调度月份",
    ),
    "date": ("报送时间", "报送日期", "填报时间", "填报日期", "上报时间", "上报日期", "日期", "反馈时间"),
    "progress": ("进度", "形象进度", "完成比例", "完成进度", "完成率", "进度百分比", "总体进度", "当前进度"),
    "done": (
        "进展情况",
        "工作进展",
        "推进情况",
        "完成情况",
        "本期进展",
        "工作完成情况",
        "进展",
        "本月进展",
        "工作推进情况",
        "进展及成效",
        "本期完成情况",
    ),
    "next_steps": (
        "下步计划",
        "下一步计划",
        "下一步工作",
        "下步打算",
        "下一步工作计划",
        "下步工作",
        "下一步打算",
    ),
    "problems": ("存在问题", "问题困难", "存在的问题", "困难问题", "问题", "存在困难", "困难和问题"),
}
_EXACT = {key(name): f for f, names in SYNONYMS.items() for name in names}
_PROGRESS_WORDS = re.compile(r"%|比例|完成率|形象进度|^进度")
_TEXT_WORDS = re.compile(r"进展|情况|^$")


@dataclass
class Entry:
    """One task's report for one month (or the period of one date), as the ledger gives it."""

    ref: str  # the row as the user sees it, e.g. "12"
    column: str  # the month column it came from (wide form), for messages
    code: str
    title: str
    month: datetime.date | None  # first day of the month reported on
    on: datetime.date | None = None  # the date the report was filed, when the ledger says
    progress: Decimal | None = None
    progress_over: bool = False
    done: str = ""
    next_steps: str = ""
    problems: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Ledger:
    year: int
    form: str = ""
    entries: list[Entry] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _own_field(header: str) -> str | None:
    k = key(header).strip("*:：")
    if k in _EXACT:
        return _EXACT[k]
    if re.search(r"下一?步", k):
        return "next_steps"
    if re.search(r"问题|困难", k):
        return "problems"
    if re.search(r"比例|完成率|进度\(%\)|形象进度", k):
        return "progress"
    return None


def column_field(header: str) -> str | None:
    """code / title from the task-book headers; period, date, progress, done, next_steps, problems here."""
    own = _own_field(header)
    if own:
        return own
    found = field_of(header)
    return found if found in ("code", "title") else None


@dataclass
class _Layout:
    fields: dict[int, str]  # column -> field (long form and the task columns of the wide form)
    months: dict[int, tuple[Month, str]]  # column -> (month, PROGRESS | TEXT) in the wide form
    labels: dict[int, str]
    ignored: list[str]
    body: int  # index of the first data line

    @property
    def form(self) -> str:
        if self.months:
            return WIDE
        values = set(self.fields.values())
        return LONG if values & {"period", "date"} and values & {"progress", "done"} else ""


def _month_column(header: str) -> tuple[Month, str] | None:
    found = month_prefix(header)
    if found is None:
        return None
    month, rest = found
    rest = key(rest)
    if _PROGRESS_WORDS.search(rest) and "进展" not in rest:
        return month, PROGRESS
    if _TEXT_WORDS.search(rest):
        return month, TEXT
    return None


def _layout(lines: list[Line], index: int) -> _Layout:
    cells = lines[index].cells
    below = lines[index + 1].cells if index + 1 < len(lines) else []
    fields: dict[int, str] = {}
    months: dict[int, tuple[Month, str]] = {}
    labels: dict[int, str] = {}
    ignored: list[str] = []
    body = index + 1
    for i, cell in enumerate(cells):
        if not cell.strip():
            continue
        month = _month_column(cell)
        sub = below[i] if i < len(below) else ""
        if month is not None and month_prefix(cell) and not month_prefix(cell)[1] and sub:  # type: ignore[index]
            combined = _month_column(cell + sub)  # "3月" over "进度(%)" | "进展情况"
            if combined is not None:
                month, body = combined, index + 2
        if month is not None:
            months[i], labels[i] = month, squash(cell + (sub if body == index + 2 else ""))
            continue
        name = column_field(cell)
        if name is None or name in fields.values():
            ignored.append(squash(cell))
            continue
        fields[i], labels[i] = name, squash(cell)
    return _Layout(fields, months, labels, ignored, body)


def find_layout(lines: list[Line], look: int = 15) -> _Layout | None:
    """The header among the first rows: the task (编号 or 名称) and either a period or month columns."""
    for index in range(min(look, len(lines))):
        layout = _layout(lines, index)
        names = set(layout.fields.values())
        if names & {"code", "title"} and layout.form:
            return layout
    return None


def _cell(cells: list[str], col: int | None) -> str:
    if col is None or col >= len(cells):
        return ""
    return cells[col].strip()


def _col(layout: _Layout, name: str) -> int | None:
    return next((i for i, f in layout.fields.items() if f == name), None)


def _progress_and_text(entry: Entry, percent_cell: str, text: str, label: str, ratios: bool = False) -> None:
    entry.done = text
    if percent_cell:
        value = parse_percent(percent_cell, ratios=ratios)
        if value is None:
            entry.errors.append(
                _("Row %(row)s: the progress “%(text)s” in %(column)s is not a percentage.")
                % {"row": entry.ref, "text": percent_cell, "column": label}
            )
            return
        entry.progress = value
    elif text:
        parsed = parse_progress(text)
        entry.progress, entry.progress_over = parsed.value, parsed.over
    if entry.progress is not None and entry.progress > 100:
        entry.progress, entry.progress_over = Decimal(100), True
    if entry.progress is not None and entry.progress < 0:
        entry.errors.append(
            _("Row %(row)s: the progress %(value)s%% is below 0.")
            % {"row": entry.ref, "value": entry.progress}
        )
    if entry.progress_over:
        entry.warnings.append(
            _("Row %(row)s: more than 100%% claimed in %(column)s; recorded as 100%%.")
            % {"row": entry.ref, "column": label}
        )
    elif entry.progress is None:
        entry.warnings.append(
            _("Row %(row)s: no percentage in %(column)s; the report's progress is left blank.")
            % {"row": entry.ref, "column": label}
        )


def _long_entries(grid: Grid, layout: _Layout, year: int, ref: str) -> list[Entry]:
    out = []
    c_code, c_title = _col(layout, "code"), _col(layout, "title")
    c_period, c_date = _col(layout, "period"), _col(layout, "date")
    c_progress, c_done = _col(layout, "progress"), _col(layout, "done")
    c_next, c_problems = _col(layout, "next_steps"), _col(layout, "problems")
    body = grid.lines[layout.body :]
    ratios = is_ratio_column([_cell(line.cells, c_progress) for line in body])
    for line in body:
        cells = line.cells
        code, title = normalize_code(_cell(cells, c_code)), squash(_cell(cells, c_title))
        period_text, date_text = _cell(cells, c_period), _cell(cells, c_date)
        percent, done = _cell(cells, c_progress), _cell(cells, c_done)
        if not (code or title) or not (percent or done or period_text):
            continue  # a blank line, a heading or a subtotal
        entry = Entry(ref + str(line.number), "", code, title, None)
        entry.next_steps, entry.problems = _cell(cells, c_next), _cell(cells, c_problems)
        if date_text:
            entry.on = parse_date(date_text)
            if entry.on is None:
                entry.errors.append(
                    _("Row %(row)s: the date “%(text)s” could not be read.")
                    % {"row": entry.ref, "text": date_text}
                )
        if period_text:
            entry.month = parse_month(period_text, year)
            if entry.month is None:
                entry.errors.append(
                    _("Row %(row)s: the period “%(text)s” could not be read.")
                    % {"row": entry.ref, "text": period_text}
                )
        elif entry.on is not None:
            entry.month = entry.on.replace(day=1)
        elif not entry.errors:
            entry.errors.append(_("Row %(row)s: the row names no period.") % {"row": entry.ref})
        label = layout.labels.get(c_progress if c_progress is not None else c_done or 0, "")
        _progress_and_text(entry, percent, done, label, ratios)
        out.append(entry)
    return out


def _wide_entries(grid: Grid, layout: _Layout, year: int, ref: str) -> list[Entry]:
    out = []
    c_code, c_title = _col(layout, "code"), _col(layout, "title")
    c_next, c_problems = _col(layout, "next_steps"), _col(layout, "problems")
    by_month: dict[tuple[int, int], dict[str, int]] = {}
    for col, (month, kind) in layout.months.items():
        by_month.setdefault((month.year or year, month.month), {})[kind] = col
    latest = max(by_month) if by_month else None
    body = grid.lines[layout.body :]
    ratio_cols = {
        col
        for col, (_month, kind) in layout.months.items()
        if kind == PROGRESS and is_ratio_column([_cell(line.cells, col) for line in body])
    }
    for line in body:
        cells = line.cells
        code, title = normalize_code(_cell(cells, c_code)), squash(_cell(cells, c_title))
        if not (code or title):
            continue
        for (y, m), cols in sorted(by_month.items()):
            percent, text = _cell(cells, cols.get(PROGRESS)), _cell(cells, cols.get(TEXT))
            if not (percent or text):
                continue
            label = layout.labels[cols.get(TEXT, cols.get(PROGRESS, 0))]
            entry = Entry(ref + str(line.number), label, code, title, datetime.date(y, m, 1))
            if (y, m) == latest:  # next steps and problems belong to the last month given
                entry.next_steps, entry.problems = _cell(cells, c_next), _cell(cells, c_problems)
            _progress_and_text(entry, percent, text, label, cols.get(PROGRESS) in ratio_cols)
            out.append(entry)
    return out


def read_ledger(blocks: list[Block], year: int) -> Ledger:
    """All the entries of every sheet or table that looks like a progress ledger."""
    ledger = Ledger(year)
    grids = [b for b in blocks if isinstance(b, Grid)]
    found = [(g, layout) for g in grids if (layout := find_layout(g.lines)) is not None]
    if not found:
        ledger.errors.append(
            _(
                "No progress ledger was found: a header row needs the task (编号 or 任务名称) and either the "
                "period (月份, 期间 or 报送时间) with progress or text, or one column per month (“1月进展”)."
            )
        )
        return ledger
    multi = len(found) > 1
    for grid, layout in found:
        ref = f"{grid.name}!" if multi else ""
        ledger.form = ledger.form or layout.form
        ledger.ignored_columns += [c for c in layout.ignored if c not in ledger.ignored_columns]
        years = {mo.year for mo, _kind in layout.months.values() if mo.year and mo.year != year}
        if years:
            ledger.errors.append(
                _("The columns name the year %(years)s, not the plan year %(year)s.")
                % {"years": "、".join(map(str, sorted(years))), "year": year}
            )
        read = _wide_entries if layout.form == WIDE else _long_entries
        ledger.entries += read(grid, layout, year, ref)
    if not ledger.entries and not ledger.errors:
        ledger.errors.append(_("The ledger has no progress to import."))
    return ledger
