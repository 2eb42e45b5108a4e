"""Blocks of rows -> a preview of the task book: every row as it will be imported, with warnings and errors.

Walks the blocks once (headings, header rows, data rows), gives every row a code, then resolves each row's
units, people and dates against a directory loaded once (see resolve.py).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tongtui.plans.importing.deadlines import Step
from tongtui.plans.importing.headers import Columns, find_header, map_columns, merge_subheader
from tongtui.plans.importing.people import PersonHit
from tongtui.plans.importing.readers import Block, Grid, Title
from tongtui.plans.importing.sections import Heading, is_heading_text, normalize_code, parse_heading
from tongtui.plans.importing.units import UnitHit

LEAD_RULES = ("first", "none")


@dataclass
class Options:
    year: int
    lead_rule: str = (
        "first"  # "first": the first 责任单位 leads; "none": all are equal, the office picks a lead
    )
    create_units: bool = False  # unknown names become new units, collective ones new unit groups
    mapping: dict[str, str] = field(
        default_factory=dict
    )  # name key -> unit:<id> | group:<id> | create | skip
    assigned_on: datetime.date | None = None  # the mid-year switch: complete tasks assigned and acknowledged


@dataclass
class Raw:
    """One data row as read: its cells by field, and the section it sits in."""

    ref: str
    values: dict[str, str]
    path: tuple[tuple[int, int], ...]
    headers: dict[str, str] = field(default_factory=dict)  # field -> its header as the file writes it
    leader: str = ""
    category: str = ""
    raw_code: str = ""
    code: str = ""
    parent: "Raw | None" = None
    parent_code: str = ""


@dataclass
class Row:
    """A row as it will be imported."""

    ref: str
    code: str
    title: str = ""
    parent_code: str = ""
    category: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # goal, measures, deliverables, note (given only)
    lead: UnitHit | None = None  # a unit, found or to create
    lead_text: str | None = None  # the lead as written when it names no one unit; "" once a unit leads
    co: list[UnitHit] = field(default_factory=list)  # units and unit groups, found or to create
    leader: PersonHit | None = None  # a person, a post, or the cell kept as written
    owner: PersonHit | None = None
    start: datetime.date | None = None
    due: datetime.date | None = None
    deadline_text: str | None = None  # None: leave the task's as it is
    weight: Decimal | None = None
    source: str | None = None
    is_public: bool | None = None
    milestones: list[Step] | None = None  # None: the file gives no schedule
    action: str = "create"  # create | update | unchanged
    task_id: int | None = None
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    assign: bool = False  # the mid-year switch assigns and acknowledges it
    missing: list[str] = field(default_factory=list)  # what it lacks to be assigned

    @property
    def co_labels(self) -> list[str]:
        return [h.label for h in self.co if h.kind in ("unit", "group", "new", "newgroup")]


@dataclass
class Unknown:
    """A unit name that matched nothing, with the rows that use it."""

    name: str
    collective: bool
    refs: list[str] = field(default_factory=list)
    as_lead: bool = False


@dataclass
class Book:
    year: int
    rows: list[Row] = field(default_factory=list)
    unknown_units: dict[str, Unknown] = field(default_factory=dict)
    new_units: dict[str, str] = field(default_factory=dict)  # key -> name to create
    new_groups: dict[str, str] = field(default_factory=dict)  # key -> unit group to create (filled later)
    mapped: dict[str, tuple[str, str, list[str]]] = field(
        default_factory=dict
    )  # key -> (as written, choice, rows)
    new_people: dict[str, PersonHit] = field(default_factory=dict)  # key -> who to create
    new_categories: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    warnings: list[str] = field(default_factory=list)
    directory: Any = field(default=None, repr=False, compare=False)  # what the names were matched against

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.errors for r in self.rows)

    @property
    def drafts(self) -> list[Row]:
        """With the mid-year switch: the rows that stay drafts because they lack a lead, leader or person."""
        return [r for r in self.rows if r.missing]

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [e for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + sum(len(r.warnings) for r in self.rows)

    def summary(self) -> str:
        parts = [
            _("%(rows)d rows: %(new)d new, %(updated)d updated")
            % {"rows": len(self.rows), "new": self.count("create"), "updated": self.count("update")}
        ]
        if self.count("unchanged"):
            parts.append(_("%(n)d unchanged") % {"n": self.count("unchanged")})
        parts.append(_("%(n)d warnings") % {"n": self.warning_count})
        if not self.ok:
            parts.append(_("%(n)d errors") % {"n": len(self.all_errors)})
        return ", ".join(parts)


class _Walker:
    """Reads the blocks in order, keeping track of sections, headers and section leaders."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.raws: list[Raw] = []
        self.stack: dict[int, tuple[int, Heading]] = {}
        self.counters: dict[tuple, int] = {}
        self.columns: Columns | None = None
        self.width = 0
        self.multi = False

    def walk(self, blocks: list[Block]) -> list[Raw]:
        grids = [b for b in blocks if isinstance(b, Grid)]
        self.multi = len({g.name for g in grids}) > 1
        sheets = [g for g in grids if g.is_sheet]
        for block in blocks:
            if isinstance(block, Title):
                self.heading(parse_heading(block.text))
            else:
                if block.is_sheet and len(sheets) > 1:
                    self.heading(Heading(0, None, block.name, ""))
                self.grid(block)
        if not grids or self.columns is None:
            self.book.errors.append(
                _(
                    "No table of tasks was found: the file needs a header row such as 序号 | 重点任务 | 牵头单位 | "
                    "责任单位, or numbered lines with 牵头单位: / 责任单位: labels."
                )
            )
        elif not self.raws:
            self.book.errors.append(
                _("The table has its header row but no task under it: there is nothing to import.")
            )
        return self.raws

    def heading(self, h: Heading) -> None:
        if h.is_note or not h.title and h.ordinal is None:
            return
        for level in [lv for lv in self.stack if lv >= h.level]:
            del self.stack[level]
        parent = tuple(sorted((lv, o) for lv, (o, _h) in self.stack.items()))
        count = self.counters.get((parent, h.level), 0) + 1
        self.counters[(parent, h.level)] = count
        ordinal = h.ordinal if h.ordinal is not None and h.level > 0 else count  # 附件1, 附件2 … counted too
        self.stack[h.level] = (ordinal, h)

    def ref(self, grid: Grid, number: int) -> str:
        return f"{grid.name}!{number}" if self.multi else str(number)

    def grid(self, grid: Grid) -> None:
        lines = grid.lines
        start = 0
        if grid.columns is not None:
            columns = Columns(dict(enumerate(grid.columns)), [])  # pasted text: headers are the labels
        else:
            index = find_header([ln.cells for ln in lines])
            if index is None:
                if self.columns is None or max(len(ln.cells) for ln in lines) > self.width + 1:
                    if self.columns is not None or len(lines) > 1:
                        self.book.warnings.append(
                            _("“%(name)s” has no header row and was skipped.") % {"name": grid.name}
                        )
                    return
                columns = self.columns  # a table continued on the next page, without its header
            else:
                header = lines[index].cells
                start = index + 1
                if start < len(lines):
                    combined = merge_subheader(header, lines[start].cells)
                    if combined is not None:
                        header, start = combined, start + 1
                for line in lines[:index]:
                    self.maybe_heading(line.cells, title_row=True)
                columns = map_columns(header)
                self.width = len(header)
                for header_name in columns.ignored:
                    if header_name not in self.book.ignored_columns:
                        self.book.ignored_columns.append(header_name)
        self.columns = columns
        previous: Raw | None = None
        for line in lines[start:]:
            if self.maybe_heading(line.cells, title_row=False):
                previous = None
                continue
            values: dict[str, str] = {}
            for i, cell in enumerate(line.cells):
                name = columns.fields.get(i)
                if name and cell.strip():
                    values[name] = values[name] + "、" + cell.strip() if name in values else cell.strip()
            if not values or set(values) <= {"code"}:
                continue
            if not values.keys() & {"title", "content", "goal", "code"} and previous is not None:
                for (
                    name,
                    value,
                ) in values.items():  # the rest of the row above, split by a page or a cell break
                    old = previous.values.get(name)
                    previous.values[name] = old + "、" + value if old else value
                continue
            previous = self.raw(self.ref(grid, line.number), values)
            self.raws.append(previous)

    def maybe_heading(self, cells: list[str], title_row: bool) -> bool:
        """A row that is a section heading (merged across, or only a 一、… / (一)… line); note rows are dropped."""
        filled = [c.strip() for c in cells if c.strip()]
        if len(set(filled)) != 1:
            return title_row
        value = filled[0]
        columns = self.columns.fields if self.columns else {}
        where = [columns.get(i) for i, c in enumerate(cells) if c.strip()]
        if title_row or len(filled) >= 2 or is_heading_text(value):
            self.heading(parse_heading(value))
            return True
        first = next(i for i, c in enumerate(cells) if c.strip())
        code_like = len(normalize_code(value)) <= 8 and not re.search(r"[\u4e00-\u9fff]{3}", value)
        if (
            where
            and (where[0] is None or where[0] == "code" and not code_like)
            and (first == 0 or len(value) > 6)
        ):
            self.heading(parse_heading(value))
            return True
        return False

    def raw(self, ref: str, values: dict[str, str]) -> Raw:
        path = tuple((lv, o) for lv, (o, _h) in sorted(self.stack.items()))
        leader, category = "", ""
        for level, (_o, h) in sorted(self.stack.items()):
            if h.leader:
                leader = h.leader
            if level == 1 and not h.leader and h.title:
                category = re.sub(r"[。.;；]+$", "", h.title)
        code = normalize_code(values.get("code", ""))
        headers = {name: self.columns.header(name) for name in values} if self.columns else {}
        return Raw(ref, values, path, headers, leader=leader, category=category, raw_code=code)


def assign_codes(raws: list[Raw]) -> None:
    """Codes as written (normalised); unique per section when numbering restarts; sub-rows get 5-1, 5-2."""
    has_codes = any(r.raw_code for r in raws)
    tops: list[Raw] = []
    last: Raw | None = None
    for r in raws:
        parent = r.values.get("parent", "").strip()
        if parent:
            r.parent_code = parent
            tops.append(r)
            last = r
        elif (
            has_codes
            and last is not None
            and last.path == r.path
            and (not r.raw_code or r.raw_code == last.raw_code)
        ):
            r.parent = last
        else:
            tops.append(r)
            last = r
    coded = [r for r in tops if r.raw_code and not r.parent_code]
    prefix = _restart_prefix(coded)
    used = set()
    for r in tops:
        if r.raw_code:
            r.code = (prefix(r) + r.raw_code) if not r.parent_code else r.raw_code
            used.add(r.code)
    n = 0
    for r in tops:
        if not r.raw_code:
            n += 1
            while str(n) in used:
                n += 1
            r.code = str(n)
            used.add(r.code)
    subs: dict[int, int] = {}
    for r in raws:
        if r.parent is not None:
            k = subs.get(id(r.parent), 0) + 1
            while f"{r.parent.code}-{k}" in used:
                k += 1
            subs[id(r.parent)] = k
            r.code = f"{r.parent.code}-{k}"
            r.parent_code = r.parent.code
            used.add(r.code)


def _restart_prefix(coded: list[Raw]):  # type: ignore[no-untyped-def]
    codes = [r.raw_code for r in coded]
    if len(set(codes)) == len(codes) or not coded:
        return lambda r: ""
    common = 0
    first = coded[0].path
    while common < len(first) and all(
        len(r.path) > common and r.path[common] == first[common] for r in coded
    ):
        common += 1
    depth = max(len(r.path) for r in coded)
    for d in range(common + 1, depth + 1):
        keys = [(r.path[common:d], r.raw_code) for r in coded]
        if len(set(keys)) == len(keys):
            return lambda r, d=d: "".join(f"{o}." for _lv, o in r.path[common:d])
    return lambda r: ""


def build_book(blocks: list[Block], options: Options, *, plan=None, directory=None, people=None) -> Book:  # type: ignore[no-untyped-def]
    """The preview of a task book; reads the database once for units, people and the plan's tasks."""
    from tongtui.plans.importing.resolve import Resolver

    book = Book(options.year)
    raws = _Walker(book).walk(blocks)
    assign_codes(raws)
    resolver = Resolver(book, options, plan=plan, directory=directory, people=people, raws=raws)
    book.directory = resolver.directory
    for raw in raws:
        book.rows.append(resolver.row(raw))
    resolver.finish()
    return book
