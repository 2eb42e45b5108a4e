"""The bulletin's .docx in the GB/T 9704 layout, like the 交办单 and 督办单."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from tongtui.publicity import actions


def opened(client, pk):
    r = client.get(f"/bulletins/{pk}/docx/")
    assert r.status_code == 200
    return Document(io.BytesIO(b"".join(r.streaming_content)))


def test_the_layout_is_gbt_9704(draft, lit):
    actions.publish(draft, by=lit.user("office"))
    document = opened(lit.client("liaison_b"), draft.pk)
    section = document.sections[0]
    mm = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.top_margin,
                                     section.bottom_margin, section.left_margin, section.right_margin)]  # fmt: skip
    assert mm == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and int(grid.get(qn("w:linePitch"))) == 579  # 22 lines
    heading, number, title, addressee, *rest = document.paragraphs
    assert heading.text == "区政府督查室" and str(heading.runs[0].font.color.rgb) == "E60012"
    assert heading._p.pPr is not None
    assert number.text == "通报〔2026〕1号"
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"
    assert title.text == draft.title and title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert addressee.text == "各有关单位："
    body = rest[0].runs[0]
    assert body.font.size == Pt(16) and body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    headings = [p for p in rest if p.runs and p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"]
    assert [h.text for h in headings] == ["一、总体情况", "二、任务完成情况", "三、滞后序时进度的任务",
                                          "四、进展情况报送情况", "五、下步工作要求"]  # fmt: skip
    assert all(h.runs[0].font.size == Pt(16) for h in headings)
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.runs[0].font.size == Pt(14)
    texts = [p.text for p in document.paragraphs]
    assert texts[-2] == "区政府督查室" and texts[-1].startswith("2026年")
    assert any("地区生产总值增长6%左右（牵头单位：区发展和改革局，红灯）" in t for t in texts)


def test_a_draft_prints_as_a_draft_and_an_emptied_section_is_left_out(draft, lit):
    actions.edit(draft, by=lit.user("office"), version=1, title=draft.title,
                 texts={"completed": "", "practices": "区发改局：周调度。\n城关街道：一线工作法。"})  # fmt: skip
    document = opened(lit.client("office"), draft.pk)
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "（征求意见稿）"
    assert "二、任务完成情况" not in texts
    i = texts.index("四、可借鉴的经验做法")
    assert texts[i + 1 : i + 3] == ["区发改局：周调度。", "城关街道：一线工作法。"]
