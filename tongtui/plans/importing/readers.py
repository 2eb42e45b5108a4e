"""Files -> blocks of rows of cells. xlsx (merged cells filled), csv (utf-8 / gb18030), docx (every table, in
document order with the headings between them) and pasted text of a published notice."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tongtui.plans.importing.labels import split_labelled, starts_with_label
from tongtui.plans.importing.limits import Counter, UnreadableFile, check_archive, check_merged
from tongtui.plans.importing.sections import is_heading_text, leading_number

EXTENSIONS = (".xlsx", ".csv", ".docx", ".txt")
TEXT_COLUMNS = [
    "code",
    "title",
    "lead",
    "co",
    "duty",
    "leader",
    "owner",
    "deadline",
    "schedule",
    "start",
    "category",
    "goal",
    "measures",
    "deliverables",
    "note",
]


__all__ = ["Block", "Grid", "Line", "Title", "UnreadableFile", "read_file", "read_text"]


@dataclass
class Line:
    number: int  # the row as the user sees it: the Excel row, the CSV record, the table row, the text line
    cells: list[str]


@dataclass
class Grid:
    """A table. `columns` is set when the fields of the cells are already known (pasted text)."""

    name: str
    lines: list[Line] = field(default_factory=list)
    columns: list[str] | None = None
    is_sheet: bool = False


@dataclass
class Title:
    """A heading or paragraph outside any table."""

    number: int
    text: str


Block = Grid | Title


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_file(filename: str, data: bytes, sheet: str | None = None) -> list[Block]:
    """The file's tables and headings. Refuses (UnreadableFile) what it cannot read and what is over the
    limits (limits.py): an archive's inflated size before it is opened, rows and cells while reading."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            check_archive(data)
            return read_xlsx(data, sheet)
        if name.endswith(".docx"):
            check_archive(data)
            return read_docx(data)
        if name.endswith(".csv"):
            return read_csv(decode(data))
        if name.endswith(".txt") or name in ("-", "<stdin>"):
            text = decode(data)
            return read_tsv(text) if _looks_tabular(text) else read_text(text)
    except UnreadableFile:
        raise
    except (
        Exception
    ) as exc:  # parsers of uploaded files raise many kinds of errors; all mean "cannot read it"
        raise UnreadableFile(
            _("The file could not be read (%(error)s).") % {"error": exc.__class__.__name__}
        ) from exc
    raise UnreadableFile(_("Only .xlsx, .csv, .docx and .txt files can be imported."))


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text."))


# -- xlsx -------------------------------------------------------------------------------------------


def read_xlsx(data: bytes, sheet: str | None = None) -> list[Block]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for non-workbooks
        raise UnreadableFile(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        merged = _merged_ranges(data)
        check_merged(sum(len(r) for r in merged.values()))
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise UnreadableFile(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
        blocks: list[Block] = []
        counter = Counter()
        for index, ws_name in enumerate(names):
            if sheet is not None and ws_name != sheet:
                continue
            ws = book[ws_name]
            ws.reset_dimensions()  # type: ignore[union-attr]
            rows: list[list[str]] = []
            for values in ws.iter_rows(values_only=True):
                row = [cell_text(v) for v in values]
                counter.row(len(row), filled=any(row))
                rows.append(row)
            _fill_merged(rows, merged.get(index, []), counter)
            grid = Grid(ws_name, [Line(i + 1, r) for i, r in enumerate(rows) if any(r)], is_sheet=True)
            if grid.lines:
                blocks.append(grid)
    finally:
        book.close()
    return blocks


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_SHEET_ENTRY = re.compile(r"xl/worksheets/sheet(\d+)\.xml$")


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merged_ranges(data: bytes) -> dict[int, list[tuple[int, int, int, int]]]:
    """Merged ranges per sheet (by position), read from the sheet XML: read-only openpyxl does not keep them."""
    result: dict[int, list[tuple[int, int, int, int]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        targets = _sheet_targets(archive)
        for index, target in enumerate(targets):
            try:
                xml = archive.read(target)
            except KeyError:
                continue
            result[index] = [
                (int(r1) - 1, _col(c1), int(r2) - 1, _col(c2)) for c1, r1, c2, r2 in _MERGE_REF.findall(xml)
            ]
    return result


def _sheet_targets(archive: zipfile.ZipFile) -> list[str]:
    """The worksheet parts in workbook order (workbook.xml sheets -> relationship targets)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        rid = re.search(r'\bId="([^"]+)"', tag)
        target = re.search(r'\bTarget="([^"]+)"', tag)
        if rid and target:
            path = target.group(1).lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else "xl/" + path
    order = []
    for sheet in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        rid = re.search(r'\br:id="([^"]+)"|\bid="([^"]+)"', sheet.group(0))
        if rid:
            order.append(targets.get(rid.group(1) or rid.group(2), ""))
    return order


def _fill_merged(
    rows: list[list[str]], ranges: list[tuple[int, int, int, int]], counter: Counter | None = None
) -> None:
    """Every cell of a merged range gets the range's value, so a merged 序号 or 牵头单位 counts for each row.

    A range is cut to the rows read and to the widest row, so that a range declared over the whole sheet
    (A1:XFD1048576) adds no cells that are not there."""
    width = max((len(r) for r in rows), default=0)
    for r1, c1, r2, c2 in ranges:
        if r1 >= len(rows) or c1 >= width:
            continue
        c2 = min(c2, width - 1)
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                if counter is not None:
                    counter.row(c2 + 1 - len(row), filled=False)
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = value


# -- csv / tsv --------------------------------------------------------------------------------------


def read_csv(text: str) -> list[Block]:
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return _delimited("csv", csv.reader(io.StringIO(text), dialect))


def read_tsv(text: str) -> list[Block]:
    return _delimited("text", csv.reader(io.StringIO(text), delimiter="\t"))


def _delimited(name: str, records: Iterable[list[str]]) -> list[Block]:
    counter = Counter()
    grid = Grid(name)
    for i, record in enumerate(records):
        filled = any(c.strip() for c in record)
        counter.row(len(record), filled=filled)
        if filled:
            grid.lines.append(Line(i + 1, [cell_text(c) for c in record]))
    return [grid] if grid.lines else []


def _looks_tabular(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()][:30]
    return bool(lines) and sum(ln.count("\t") >= 2 for ln in lines) * 2 > len(lines)


# -- docx -------------------------------------------------------------------------------------------


def read_docx(data: bytes) -> list[Block]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises its own errors for non-documents
        raise UnreadableFile(_("The file is not a readable .docx document.")) from exc
    blocks: list[Block] = []
    paragraphs: list[str] = []
    tables = 0
    counter = Counter()
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                paragraphs.append(text)
                blocks.append(Title(len(paragraphs), text))
        elif tag == "tbl":
            tables += 1
            table = Table(child, document)
            lines = []
            for i, row in enumerate(table.rows):
                cells = [cell_text(c.text) for c in row.cells]
                counter.row(len(cells), filled=any(cells))
                if any(cells):
                    lines.append(Line(i + 1, cells))
            if lines:
                blocks.append(Grid(_("Table %(n)d") % {"n": tables}, lines))
    if tables == 0:
        return read_text("\n".join(paragraphs))
    return blocks


# -- pasted text ------------------------------------------------------------------------------------


@dataclass
class _Item:
    number: int
    code: str
    text: str
    line: str
    labels: dict[str, str] = field(default_factory=dict)
    numbered_like_heading: bool = False


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _has_label(line: str) -> bool:
    return bool(split_labelled(line)[1])


def read_text(text: str) -> list[Block]:
    """A published notice: numbered task lines with 牵头单位:/责任单位: labels, and section headings."""
    out: list[Block | _Item] = []
    current: _Item | None = None
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    counter = Counter()
    for _line in lines:
        counter.row(1)
    for index, (number, line) in enumerate(lines):
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        if starts_with_label(line):
            if current is not None:
                _, values = split_labelled(line)
                for f, v in values.items():
                    current.labels[f] = current.labels[f] + "、" + v if f in current.labels else v
            continue
        code, rest = leading_number(line)
        if code or is_heading_text(line):
            head, values = split_labelled(rest if code else line)
            current = _Item(
                number, code, head, line, dict(values), numbered_like_heading=is_heading_text(line)
            )
            out.append(current)
        elif (
            current is not None and not current.labels and (starts_with_label(following) or _has_label(line))
        ):
            head, values = split_labelled(line)  # a task wrapped over lines before its labels
            current.text = _join(current.text, head)
            current.labels.update(values)
        else:
            head, values = split_labelled(line)
            if values:
                current = _Item(number, "", head, line, dict(values))
                out.append(current)
            else:
                current = None
                out.append(Title(number, line))
    return _text_blocks(out)


def _text_blocks(items: list["Block | _Item"]) -> list[Block]:
    from tongtui.plans.importing.labels import inline_units

    blocks: list[Block] = []
    grid: Grid | None = None
    task_styles: set[str] = (
        set()
    )  # numbering styles already used by tasks: (一) may number tasks, not sections
    for item in items:
        if isinstance(item, Title):
            blocks.append(item)
            grid = None
            task_styles.clear()
            continue
        if not isinstance(item, _Item):
            continue
        style = _numbering_style(item.line)
        if item.numbered_like_heading and set(item.labels) <= {"leader"} and not inline_units(item.text)[1]:
            if style not in task_styles:
                blocks.append(Title(item.number, item.line))
                grid = None
                task_styles.clear()
                continue
        elif item.numbered_like_heading:
            task_styles.add(style)
        if grid is None:
            grid = Grid(_("Text"), columns=list(TEXT_COLUMNS))
            blocks.append(grid)
        cells = [item.code, item.text] + [item.labels.get(f, "") for f in TEXT_COLUMNS[2:]]
        grid.lines.append(Line(item.number, cells))
    return blocks


def _numbering_style(line: str) -> str:
    t = line.lstrip()
    if t[:1] in "((":
        return "paren"
    if t.startswith("第"):
        return "ordinal"
    return "comma"
