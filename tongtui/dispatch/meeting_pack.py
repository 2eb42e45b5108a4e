"""The meeting pack (调度会会议材料) as a .docx in the style of an official document (GB/T 9704 layout).

Like the ledger's headers, the pack's wording is a document format in Chinese, not UI text: an office prints
it for a Chinese-speaking meeting whatever language the person who clicked uses.
Fonts: 方正小标宋 for the title, 黑体 for section heads, 仿宋_GB2312 for text, 宋体 in tables; each run sets
the eastAsia font too, otherwise Word shows Chinese in its Latin fallback.
"""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from tongtui.dispatch.agenda import Agenda
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.models import Meeting, MeetingScope

TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
TEXT_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
NUMERALS = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(doc: DocxDocument, text: str, font: str = TEXT_FONT, size: float = 16, *, bold: bool = False,
          align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = True, space_after: float = 0) -> Paragraph:  # fmt: skip
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _cell(cell: object, text: str, *, bold: bool = False, center: bool = False) -> None:
    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.space_after = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(text), TABLE_FONT, 10.5, bold)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _table(doc: DocxDocument, headers: Sequence[str], widths_cm: Sequence[float], rows: Sequence[Sequence[str]],
           centered: Sequence[int] = ()) -> Table:  # fmt: skip
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, title in enumerate(headers):
        _cell(table.rows[0].cells[i], title, bold=True, center=True)
    for values in rows:
        cells = table.add_row().cells
        for i, value in enumerate(values):
            _cell(cells[i], value, center=i in centered)
    for i, width in enumerate(widths_cm):  # the grid for LibreOffice and WPS, the cells for Word
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    _repeat_header(table)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _pct(value: Decimal) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _points(value: Decimal) -> str:
    return _pct(value).rstrip("%")


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return ("十" if n < 20 else NUMERALS[n // 10 - 1] + "十") + (NUMERALS[n % 10 - 1] if n % 10 else "")


def pack_title(meeting: Meeting) -> str:
    name = meeting.title.strip()
    if name.startswith("关于"):
        name = name[2:]
    return f"关于{name}的会议材料"


def scope_text(meeting: Meeting) -> str:
    if meeting.scope == MeetingScope.CATEGORY and meeting.category is not None:
        return f"{meeting.category.name}板块"
    if meeting.scope == MeetingScope.LEADER and meeting.leader is not None:
        return f"{meeting.leader.name}同志分管工作"
    return "全部重点工作"


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = TEXT_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TEXT_FONT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _page_number(p: Paragraph) -> None:
    _font(p.add_run("— "), TABLE_FONT, 14)
    run = p.add_run()
    _font(run, TABLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), TABLE_FONT, 14)


def render_pack(meeting: Meeting, agenda: Agenda, *, today: datetime.date | None = None) -> bytes:
    """The .docx bytes of the pack for `meeting` with its `agenda`."""
    doc = Document()
    _setup(doc)
    _para(
        doc, pack_title(meeting), TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6
    )
    when = f"{_day(meeting.date)}（星期{WEEKDAYS[meeting.date.weekday()]}）{meeting.time:%H:%M}"
    _para(doc, f"会议时间：{when}", TEXT_FONT, 16, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"主持：{meeting.chair.name}    范围：{scope_text(meeting)}", TEXT_FONT, 16, indent=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)  # fmt: skip
    sections = _sections(agenda)
    _para(
        doc,
        f"截至{_day(today or agenda.date)}，本次调度共梳理出未办结的议定事项{len(agenda.open_decisions)}项、"
        f"进度滞后的任务{len(agenda.off_track)}项、逾期未完成的节点{len(agenda.overdue_milestones)}个、"
        f"待协调解决的问题{len(agenda.problems)}个、多次迟报的单位{len(agenda.late_units)}家，具体如下。",
    )
    for i, (name, lead, headers, widths, rows, centered) in enumerate(sections, start=1):
        _para(doc, f"{_numeral(i)}、{name}", HEAD_FONT, 16)
        if not rows:
            _para(doc, "无。")
            continue
        _para(doc, lead)
        _table(doc, headers, widths, rows, centered)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


Section = tuple[str, str, list[str], list[float], list[list[str]], tuple[int, ...]]


def _sections(agenda: Agenda) -> list[Section]:
    return [
        (
            "上次会议议定事项落实情况",
            "以下议定事项尚未办结，请牵头单位汇报落实情况。",
            ["序号", "议定事项", "牵头单位", "完成时限", "跟踪任务"],
            [1.2, 6.4, 2.6, 2.6, 2.8],
            [
                [str(n), d.text, d.lead_unit, f"{d.deadline:%Y-%m-%d}", d.tracked]
                for n, d in enumerate(agenda.open_decisions, start=1)
            ],
            (0, 3),
        ),
        (
            "进度滞后的重点任务",
            "以下任务实际进度低于计划进度，请牵头单位说明原因及赶进措施。",
            ["编号", "任务名称", "牵头单位", "进度", "滞后原因"],
            [1.2, 5.2, 2.6, 2.8, 3.8],
            [
                [
                    o.task.code,
                    o.task.title,
                    o.task.lead_unit,
                    f"实际{_pct(o.task.progress)}\n计划{_pct(o.planned)}",
                    f"落后{_points(o.behind)}个百分点" + (f"；{o.task.note[:60]}" if o.task.note else ""),
                ]
                for o in agenda.off_track
            ],
            (0, 3),
        ),
        (
            "逾期未完成的时间节点",
            "以下节点已过计划时间仍未完成。",
            ["编号", "任务名称", "牵头单位", "节点", "逾期"],
            [1.2, 5.0, 2.6, 4.6, 2.2],
            [
                [
                    o.task.code,
                    o.task.title,
                    o.task.lead_unit,
                    f"{o.milestone.due:%Y-%m-%d} {o.milestone.title}",
                    f"{o.days_late}天",
                ]
                for o in agenda.overdue_milestones
            ],
            (0, 4),
        ),
        (
            "待协调解决的问题",
            "以下问题尚未答复或已超过要求答复时间，请会议研究。",
            ["编号", "问题", "提出单位", "答复对象", "要求答复"],
            [1.2, 6.4, 2.6, 2.8, 2.6],
            [[p.task_code, p.title, p.unit, p.addressee, f"{p.answer_by:%Y-%m-%d}"] for p in agenda.problems],
            (0, 4),
        ),
        (
            "多次迟报的单位",
            "以下单位近三个报送周期内多次迟报或未报。",
            ["序号", "单位", "迟报次数", "统计周期数"],
            [1.2, 8.0, 3.2, 3.2],
            [
                [str(n), u.unit, str(u.late_periods), str(u.periods)]
                for n, u in enumerate(agenda.late_units, start=1)
            ],
            (0, 2, 3),
        ),
    ]


def build_pack(meeting: Meeting) -> bytes:
    return render_pack(meeting, agenda_for(meeting))
