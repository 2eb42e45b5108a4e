"""The meeting pack (调度会会议材料) as a .docx in the style of an official document (GB/T 9704 layout).

Like the ledger's headers, the pack's wording is a document format in Chinese, not UI text: an office prints
it for a Chinese-speaking meeting whatever language the person who clicked uses. Layout, fonts and the
cleaning of pasted text come from `tongtui.core.gbt9704`.
"""

import datetime
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH

from tongtui.core.gbt9704 import HEAD_FONT, SIZE_3, TEXT_FONT, OfficialDocument, day, numeral
from tongtui.dispatch.agenda import Agenda
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.models import Meeting, MeetingScope

WEEKDAYS = "一二三四五六日"


def _pct(value: Decimal) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _points(value: Decimal) -> str:
    return _pct(value).rstrip("%")


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


def render_pack(meeting: Meeting, agenda: Agenda, *, today: datetime.date | None = None) -> bytes:
    """The .docx bytes of the pack for `meeting` with its `agenda`."""
    doc = OfficialDocument()
    doc.title(pack_title(meeting))
    center = WD_ALIGN_PARAGRAPH.CENTER
    when = f"{day(meeting.date)}（星期{WEEKDAYS[meeting.date.weekday()]}）{meeting.time:%H:%M}"
    doc.paragraph(f"会议时间：{when}", align=center, indent=False)
    doc.paragraph(f"主持：{meeting.chair.name}    范围：{scope_text(meeting)}", align=center, indent=False)
    doc.paragraph()
    sections = _sections(agenda)
    doc.paragraph(
        f"截至{day(today or agenda.date)}，本次调度共梳理出未办结的议定事项{len(agenda.open_decisions)}项、"
        f"进度滞后的任务{len(agenda.off_track)}项、逾期未完成的节点{len(agenda.overdue_milestones)}个、"
        f"待协调解决的问题{len(agenda.problems)}个、多次迟报的单位{len(agenda.late_units)}家，具体如下。",
    )
    for i, (name, lead, headers, widths, rows, centered) in enumerate(sections, start=1):
        doc.paragraph(f"{numeral(i)}、{name}", HEAD_FONT, SIZE_3)
        if not rows:
            doc.paragraph("无。", TEXT_FONT)
            continue
        doc.paragraph(lead)
        doc.table(headers, [w * 10 for w in widths], rows, centered)
    return doc.to_bytes()


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
