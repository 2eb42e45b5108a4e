"""The ledger (台账): one row per task, as an .xlsx ready to print and to import back.

The header row is a file format, not UI text: the task-book importer reads these exact Chinese headers.
"""

import datetime
import math
import os
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tongtui.core.choices import shown
from tongtui.core.officefiles import named_style, write_cell
from tongtui.orgs.models import Person, Post
from tongtui.plans import codes
from tongtui.plans.models import CoGroup, CoUnit, Milestone, Plan, Task

HEADERS = (
    "编号", "序号", "板块", "重点任务", "工作目标", "主要举措", "成果形式", "牵头单位", "配合单位", "责任领导", "责任人",
    "开始时间", "完成时限", "时间节点", "权重", "任务来源", "上级任务编号", "最新进展", "存在问题", "下步计划", "进度(%)",
    "进展日期", "状态", "亮灯", "亮灯原因",
)  # fmt: skip
# 编号 comes before 序号: an importer that meets both takes the first as the task's code.
# Columns that apps above plans fill (floors: plans does not import them); empty until one registers.
PROVIDED = ("存在问题", "下步计划", "亮灯", "亮灯原因")
# (narrowest, widest) column width in Excel character units; a Chinese character counts two.
WIDTHS = (
    (5, 7), (4.5, 5), (7, 7), (12, 16), (12, 16), (14, 18), (8, 10), (8, 10), (8, 12), (6.5, 7), (6.5, 7),
    (10, 10), (10, 12), (16, 20), (5, 5), (8, 8), (7, 7), (14, 18), (12, 16), (12, 16), (6, 6),
    (10, 10), (7, 7), (5, 5), (16, 24),
)  # fmt: skip
CENTERED = {"编号", "序号", "责任领导", "责任人", "开始时间", "完成时限", "权重", "任务来源", "上级任务编号", "进度(%)",
            "进展日期", "状态", "亮灯"}  # fmt: skip
FONT = "宋体"
LINE_HEIGHT = 14.5  # points per line of 10-point text
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
CELL_STYLES = {False: "台账正文", True: "台账正文居中"}  # a data cell's named style, by whether it is centred


@dataclass(frozen=True)
class Shaded:
    """A cell value with a background colour (a traffic light): the text prints, the colour shows it."""

    text: str
    fill: str  # RGB hex, e.g. "FFC7CE"

    def __str__(self) -> str:
        return self.text


# task ids and the user the ledger is for (None: nobody in particular, so only what anyone who sees the task
# may see) -> a value (text or Shaded) per task id; set-based: one or two queries whatever the number of tasks.
ColumnProvider = Callable[[Sequence[int], Any], Mapping[int, Any]]
_providers: dict[str, ColumnProvider] = {}


def provide_column(header: str, provider: ColumnProvider) -> None:
    """Let an app above plans fill one of the PROVIDED columns (called from its AppConfig.ready)."""
    if header not in PROVIDED:
        raise ValueError(f"The ledger has no provided column {header!r}.")
    _providers[header] = provider


def provided_values(task_ids: Sequence[int], viewer: Any = None) -> dict[str, Mapping[int, Any]]:
    return {
        header: _providers[header](task_ids, viewer) if header in _providers else {} for header in PROVIDED
    }


def ledger_tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks with everything a row shows, in a fixed number of queries."""
    return (
        tasks.select_related(
            "category", "lead_unit", "leader", "owner", "parent", "leader_post__unit", "owner_post__unit"
        )
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("co_unit_links", queryset=CoUnit.objects.select_related("unit").order_by("pk")),
            Prefetch("co_group_links", queryset=CoGroup.objects.select_related("group").order_by("pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due", "seq", "pk")),
        )
    )


def code_key(code: str) -> tuple[str, str]:
    """Natural order of codes: 1.2 before 1.10, 二、 before 十、; numbers before words (plans.codes)."""
    return (codes.code_key(code), code)


def tree_order(tasks: Iterable[Task]) -> list[Task]:
    """Tasks in natural code order, each parent directly followed by its sub-tasks: Task.code_sort holds
    both, so this is the order the database gives too."""
    return sorted(tasks, key=lambda t: (t.code_sort, t.code, t.pk))


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def moved(due: datetime.date, original: datetime.date | None) -> str:
    """'2026-09-30(原定2026-06-30)' for a date that was extended, else the date."""
    if original is None or original == due:
        return f"{due:%Y-%m-%d}"
    return f"{due:%Y-%m-%d}(原定{original:%Y-%m-%d})"


def milestone_text(milestones: Iterable[Milestone], year: int) -> str:
    """'3月31日前完成立项(25%);\\n6月30日(原定5月31日)前开工建设(50%)'; the year is written when it is not the
    plan's; an extended milestone shows its original date too."""

    def written(day: datetime.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日" if day.year != year else f"{day.month}月{day.day}日"

    steps = []
    for m in milestones:
        was = f"(原定{written(m.original_due)})" if m.original_due and m.original_due != m.due else ""
        steps.append(f"{written(m.due)}{was}前{m.title}({percent(m.planned_progress)}%)")
    return ";\n".join(steps)


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def lead_text(task: Task) -> str:
    return task.lead_unit.name if task.lead_unit else task.lead_text


def co_unit_text(task: Task) -> str:
    """The groups as the document wrote them (各镇街), then the co-units no group brought, joined with 、."""
    groups = [link.written or link.group.name for link in task.co_group_links.all()]
    units = [link.unit.name for link in task.co_unit_links.all() if link.via_group_id is None]
    return "、".join(groups + units)


def person_text(person: Person | None, post: Post | None, written: str) -> str:
    """The person's name, else the post the book named (区应急管理局负责人), else the name as written."""
    if person is not None:
        return person.name
    if post is not None:
        return post.label
    return written


def deadline(task: Task) -> datetime.date | str:
    if task.due is None:
        return task.deadline_text
    if task.original_due is not None and task.original_due != task.due:
        return moved(task.due, task.original_due)
    return task.due


def task_row(
    task: Task, year: int, seq: int = 0, provided: Mapping[str, Mapping[int, Any]] | None = None
) -> list[Any]:
    """The cells of one task, in HEADERS order. Call under the language the labels should use."""
    extra = {h: (provided or {}).get(h, {}).get(task.pk, "") for h in PROVIDED}
    return [
        task.code,
        seq,
        task.category.name if task.category else "",
        task.title,
        task.goal,
        task.measures,
        task.deliverables,
        lead_text(task),
        co_unit_text(task),
        person_text(task.leader, task.leader_post, task.leader_text),
        person_text(task.owner, task.owner_post, task.owner_text),
        task.start,
        deadline(task),
        milestone_text(task.milestones.all(), year),
        number(task.weight),
        shown(task, "source"),
        task.parent.code if task.parent else "",
        task.progress_note,
        extra["存在问题"],
        extra["下步计划"],
        number(task.progress),
        task.progress_on,
        shown(task, "status"),
        extra["亮灯"],
        extra["亮灯原因"],
    ]


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: a Chinese (wide) character counts two. Cells repeat a lot
    (units, people, dates, states) and every cell is measured twice, for its column and for its row."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def as_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return "0000-00-00"
    return "" if value is None else str(value)


def write_ledger(
    plan: Plan,
    tasks: QuerySet[Task],
    file: IO[bytes] | str | os.PathLike[str],
    *,
    exported_on: datetime.date | None = None,
    viewer: Any = None,
) -> int:
    """Write the plan's ledger for these tasks to a file (path or binary stream); return the number of rows.

    `tasks` is the scope; `viewer` is the user it is for, so that a column about more than the task itself
    shows what they may see (the open problems; without a viewer, none of them)."""
    exported_on = exported_on or timezone.localdate()
    ordered = tree_order(ledger_tasks(tasks.filter(plan=plan)))
    provided = provided_values([t.pk for t in ordered], viewer)
    with translation.override("zh-hans"):
        rows = [task_row(t, plan.year, seq, provided) for seq, t in enumerate(ordered, start=1)]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "台账"
    widths = _column_widths(rows)
    _cell_styles(workbook)
    _title(sheet, plan, exported_on)
    _header(sheet, widths)
    for r, values in enumerate(rows, start=3):
        _data_row(sheet, r, values, widths)
    _layout(sheet, widths, last_row=2 + len(rows))
    workbook.save(file)
    return len(rows)


def _column_widths(rows: list[list[Any]]) -> list[float]:
    widths = []
    for c, (narrowest, widest) in enumerate(WIDTHS):
        longest = max(
            (display_width(line) for row in rows for line in as_text(row[c]).splitlines()), default=0
        )
        widths.append(min(widest, max(narrowest, longest + 1.5)))
    return widths


def _lines(value: Any, width: float) -> int:
    per_line = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in as_text(value).split("\n"))


def _title(sheet: Worksheet, plan: Plan, exported_on: datetime.date) -> None:
    last = get_column_letter(len(HEADERS))
    date_from = get_column_letter(len(HEADERS) - 2)
    sheet.merge_cells(f"A1:{get_column_letter(len(HEADERS) - 3)}1")
    sheet.merge_cells(f"{date_from}1:{last}1")
    title = write_cell(sheet, 1, 1, plan.title if plan.title.endswith("台账") else f"{plan.title}台账")
    title.font = Font(name="黑体", size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    stamp = sheet[f"{date_from}1"]
    stamp.value = f"导出日期:{exported_on:%Y-%m-%d}"
    stamp.font = Font(name=FONT, size=10)
    stamp.alignment = Alignment(horizontal="right", vertical="bottom")
    sheet.row_dimensions[1].height = 32


def _header(sheet: Worksheet, widths: list[float]) -> None:
    for c, name in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=2, column=c, value=name)
        cell.font = Font(name="黑体", size=10, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = max(_lines(name, w) for name, w in zip(HEADERS, widths, strict=True))
    sheet.row_dimensions[2].height = max(2, lines) * LINE_HEIGHT + 4


def _data_row(sheet: Worksheet, r: int, values: list[Any], widths: list[float]) -> None:
    workbook = sheet.parent
    assert workbook is not None
    for c, value in enumerate(values, start=1):
        centered = HEADERS[c - 1] in CENTERED
        style = CELL_STYLES[centered]
        if isinstance(value, Shaded):
            style = named_style(
                workbook, f"{style}·{value.fill}", font=Font(name=FONT, size=10, bold=True), border=BORDER,
                alignment=_alignment(centered), fill=PatternFill("solid", fgColor=value.fill),
            )  # fmt: skip
        write_cell(sheet, r, c, str(value) if isinstance(value, Shaded) else value, style)
    lines = max(_lines(v, w) for v, w in zip(values, widths, strict=True))
    sheet.row_dimensions[r].height = lines * LINE_HEIGHT + 4


def _alignment(centered: bool) -> Alignment:
    return Alignment(
        horizontal="center" if centered else "left", vertical="center" if centered else "top", wrap_text=True
    )


def _cell_styles(workbook: Workbook) -> None:
    """The two styles of a data cell, as named styles of the workbook (one lookup per cell, not four)."""
    for centered, name in CELL_STYLES.items():
        named_style(workbook, name, font=Font(name=FONT, size=10), border=BORDER, alignment=_alignment(centered))


def _layout(sheet: Worksheet, widths: list[float], *, last_row: int) -> None:
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "E3"  # the header rows and the code, number, category and task columns stay in view
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(HEADERS))}{max(last_row, 2)}"
    sheet.print_title_rows = "1:2"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.page_margins.left = sheet.page_margins.right = 0.3
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter
    assert footer is not None
    footer.center.text = "第 &P 页,共 &N 页"
