"""The 督办通知单 of a chase notice, as a GB/T 9704 .docx: numbered 督办〔2026〕3号 and graded by colour.

三色督办单: blue when a deadline nears, yellow when behind schedule or of poor quality, red when overdue, the
red one kept up until the work is done. The title prints in the notice's colour. The wording is a document
format in Chinese, not UI text.
"""

from docx.shared import RGBColor

from tongtui.core.gbt9704 import RED, OfficialDocument, day
from tongtui.plans.notice_doc import issuing_body
from tongtui.supervision.models import ChaseNotice
from tongtui.supervision.models.chases import ChaseLevel

# level -> (colour word, what it means, ink)
LEVELS = {
    ChaseLevel.BLUE: ("蓝色", "临近完成时限", RGBColor(0x00, 0x56, 0xB3)),
    ChaseLevel.YELLOW: ("黄色", "未达到序时进度或完成质量较差", RGBColor(0xD4, 0x9A, 0x00)),
    ChaseLevel.RED: ("红色", "逾期未办结", RED),
}


def level_of(chase: ChaseNotice) -> tuple[str, str, RGBColor]:
    return LEVELS.get(ChaseLevel(chase.level), LEVELS[ChaseLevel.YELLOW])


def chase_title(chase: ChaseNotice) -> str:
    return f"{level_of(chase)[0]}督办单"


def _within(chase: ChaseNotice) -> str:
    return f"{chase.workdays}个工作日内（{day(chase.reply_due)}前）"


def chase_docx(chase: ChaseNotice) -> bytes:
    """The .docx bytes of the notice. The caller checks access."""
    chase = ChaseNotice.objects.select_related("unit", "plan", "reissued_from").get(pk=chase.pk)
    colour, meaning, ink = level_of(chase)
    issuer = issuing_body()
    doc = OfficialDocument(issuer=issuer, number=chase.number)
    doc.title(chase_title(chase), color=ink)
    doc.addressee(chase.unit.name)
    lead = f"你单位承担的以下事项{meaning}，现予{colour}督办。"
    if chase.level == ChaseLevel.RED:
        lead += "红色督办实行跟踪督办，直至办结为止。"
    doc.paragraph(lead + f"请高度重视，立即研究落实，并于{_within(chase)}书面反馈办理情况。")
    tasks = [f"{t.code} {t.title}" for t in chase.tasks.order_by("code_sort", "code")]
    rows = [
        ("督办编号", chase.number),
        ("督办等级", f"{colour}督办（{meaning}）"),
        ("督办事项", chase.subject),
        ("督办内容", chase.content),
    ]
    if tasks:
        rows.append(("涉及任务", "\n".join(tasks)))
    rows.append(("办理时限", _within(chase)))
    if chase.reissued_from is not None:
        rows.append(("前次督办", f"{chase.reissued_from.number}（再次督办）"))
    doc.form(rows)
    doc.signature(issuer, chase.issued_on)
    return doc.to_bytes()
