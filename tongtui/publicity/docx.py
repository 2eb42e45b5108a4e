"""The bulletin as a GB/T 9704 .docx (`core.gbt9704`): the office's red heading with the number
通报〔2026〕3号, the title, the addressee, a section per non-empty text under 一、二、…, the signature.
A section's text prints a paragraph per line. A draft prints 征求意见稿 in place of the number."""

from django.utils import timezone

from tongtui.core.gbt9704 import OfficialDocument, day, numeral
from tongtui.plans.notice_doc import issuing_body
from tongtui.publicity.compose import span
from tongtui.publicity.models import Bulletin

HEADINGS = (
    ("overview", "总体情况"),
    ("completed", "任务完成情况"),
    ("lagging", "滞后序时进度的任务"),
    ("reports", "进展情况报送情况"),
    ("rankings", "考核排名"),
    ("red_black", "红黑榜"),
    ("practices", "可借鉴的经验做法"),
    ("next_steps", "下步工作要求"),
)


def bulletin_docx(b: Bulletin, red_black: str = "") -> bytes:
    """The .docx bytes. The caller checks access. `red_black` is the 红黑榜 text, printed only when given
    (nothing supplies it until the red and black lists exist)."""
    issuer = issuing_body()
    doc = OfficialDocument(issuer=issuer, number=b.document_number or "（征求意见稿）", letter=False)
    doc.title(b.title)
    doc.addressee("各有关单位")
    doc.paragraph(f"现将{span(b.period_start, b.as_of)}有关工作推进情况通报如下。")
    texts = {name: getattr(b, name, "") for name, _h in HEADINGS}
    texts["red_black"] = red_black
    n = 0
    for name, heading in HEADINGS:
        lines = [line.strip() for line in (texts[name] or "").splitlines() if line.strip()]
        if not lines:
            continue
        n += 1
        doc.heading(f"{numeral(n)}、{heading}")
        for line in lines:
            doc.paragraph(line)
    doc.signature(issuer, timezone.localdate(b.published_at) if b.published_at else b.as_of)
    return doc.to_bytes()


def filename(b: Bulletin) -> str:
    return f"通报-{b.plan.year}-{b.number or 'draft-' + str(b.pk or 0)}-{day(b.as_of)}.docx"
