"""The meeting pack (调度会会议材料) as a .docx in the style of an official document (GB/T 9704 layout).

Like the ledger's headers, the pack's wording is a document format in Chinese, not UI text: an office prints
it for a Chinese-speaking meeting whatever language the person who clicked uses. Layout, fonts and the
cleaning of pasted text come from `tongtui.core.gbt9704`.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

from tongtui.core.gbt9704 import HEAD_FONT, SIZE_3, SIZE_5, TEXT_FONT, OfficialDocument, day, numeral
from tongtui.dispatch.agenda import Agenda, OffTrack
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.models import Meeting, MeetingScope
from tongtui.plans.notice_doc import issuing_body

WEEKDAYS = "一二三四五六日"


def _pct(value: Decimal) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _figure(value: float | None) -> str:
    return "—" if value is None else _pct(Decimal(str(round(value, 1))))  # as the reasons print it


def _progress(o: OffTrack) -> str:
    """The figures the light judged, with plain labels: what the unit reported and where the plan stands."""
    return f"报送{_figure(o.light.progress)}\n序时{_figure(o.light.planned)}"


def _reasons(o: OffTrack) -> str:
    """The light's reasons, as the desk and the task page word them."""
    reasons = o.reasons
    if len(reasons) < 2:
        return "".join(reasons)
    return "\n".join(f"{n}.{text}" for n, text in enumerate(reasons, start=1))


def _days(n: int, working: bool) -> str:
    return f"{n}个工作日" if working else f"{n}天"


# 5号 宋体: a Chinese character is 10.5 pt wide (3.7 mm); a digit or Latin letter about half of it, more in the
# fonts that stand in for 宋体 (0.6 measured in LibreOffice); Word's cell margins take 1.9 mm on each side.
CHAR_MM = 10.5 * 25.4 / 72
ASCII_SHARE = 0.6
CELL_MARGINS_MM = 3.8 + 1.2


def code_width(codes: Sequence[str]) -> float:
    """Millimetres a 编号 column needs so that no code wraps (nor the header 编号 / 序号)."""
    widest = max([2.0] + [sum(ASCII_SHARE if ord(ch) < 0x2E80 else 1.0 for ch in c) for c in codes])
    return round(widest * CHAR_MM + CELL_MARGINS_MM, 1)


def _no_wrap(table: Table, column: int = 0) -> None:
    """Keep the column on one line (after the cell's width, where the schema puts it)."""
    for row in table.rows:
        flag = OxmlElement("w:noWrap")
        flag.set(qn("w:val"), "true")
        props = row.cells[column]._tc.get_or_add_tcPr()
        width = props.find(qn("w:tcW"))
        if width is not None:
            width.addnext(flag)
        else:
            props.insert(0, flag)


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


def render_pack(
    meeting: Meeting, agenda: Agenda, *, today: datetime.date | None = None, issuer: str = ""
) -> bytes:
    """The .docx bytes of the pack for `meeting` with its `agenda`, as of `today` (the day it is built), signed
    by `issuer` (the supervision office) on that day."""
    today = today or agenda.date
    doc = OfficialDocument()
    doc.title(pack_title(meeting))
    center = WD_ALIGN_PARAGRAPH.CENTER
    when = f"{day(meeting.date)}（星期{WEEKDAYS[meeting.date.weekday()]}）{meeting.time:%H:%M}"
    doc.paragraph(f"会议时间：{when}", align=center, indent=False)
    doc.paragraph(f"主持：{meeting.chair.name}    范围：{scope_text(meeting)}", align=center, indent=False)
    doc.paragraph()
    sections = _sections(agenda)
    doc.paragraph(
        f"截至{day(today)}，本次调度共梳理出未办结的议定事项{len(agenda.open_decisions)}项、"
        f"亮红灯（严重滞后）的任务{len(agenda.off_track)}项、亮黄灯（存在滞后风险）的任务{len(agenda.at_risk)}项、"
        f"逾期未完成的节点{len(agenda.overdue_milestones)}个、待协调解决的问题{len(agenda.problems)}个、"
        f"多次迟报的单位{len(agenda.late_units)}家，具体如下。",
    )
    for i, (name, lead, headers, widths, rows, centered) in enumerate(sections, start=1):
        doc.paragraph(f"{numeral(i)}、{name}", HEAD_FONT, SIZE_3)
        if not rows:
            doc.paragraph("无。", TEXT_FONT)
            continue
        doc.paragraph(lead)
        first = code_width([r[0] for r in rows])
        mm = [w * 10 for w in widths]
        mm[1] -= first - mm[0]  # the second column (a title or a text) gives the code what it needs
        mm[0] = first
        _no_wrap(doc.table(headers, mm, rows, centered, size=SIZE_5))
    doc.signature(issuer or issuing_body(), today)
    return doc.to_bytes()


Section = tuple[str, str, list[str], list[float], list[list[str]], tuple[int, ...]]


def _lagging_section(name: str, lead: str, items: list[OffTrack]) -> Section:
    return (
        name,
        lead,
        ["编号", "任务名称", "牵头单位", "进度", "滞后原因"],
        [1.2, 4.0, 2.4, 2.4, 5.6],
        [[o.task.code, o.task.title, o.task.lead_unit, _progress(o), _reasons(o)] for o in items],
        (0, 3),
    )


def _sections(agenda: Agenda) -> list[Section]:
    working = agenda.working_days
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
        _lagging_section(
            "严重滞后的重点任务（红灯）",
            "以下任务亮红灯，请牵头单位说明原因及赶进措施。",
            agenda.off_track,
        ),
        _lagging_section(
            "存在滞后风险的重点任务（黄灯）",
            "以下任务亮黄灯，请牵头单位说明风险及应对措施。",
            agenda.at_risk,
        ),
        (
            "逾期未完成的时间节点",
            "以下节点已过计划时间仍未完成。",
            ["编号", "任务名称", "牵头单位", "节点", "逾期"],
            [1.2, 4.6, 2.6, 4.6, 2.6],
            [
                [
                    o.task.code,
                    o.task.title,
                    o.task.lead_unit,
                    f"{o.milestone.due:%Y-%m-%d} {o.milestone.title}",
                    _days(o.days_late, working),
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


def build_pack(meeting: Meeting, *, today: datetime.date | None = None) -> bytes:
    """The pack as of the day it is built: its 截至 date, its lights and its 落款 date are that day."""
    today = today or timezone.localdate()
    return render_pack(meeting, agenda_for(meeting, today=today, lang="zh-hans"), today=today)
