"""Official documents (公文) as .docx in the layout of GB/T 9704-2012, for notices, packs and bulletins.

A4; margins 37 mm top, 35 bottom, 28 left, 26 right (a 156 × 225 mm text block); a grid of 22 lines of
28 characters in 3号仿宋; the issuing body's name in red over a red line as wide as the text block, with the
document number between them; the title in 2号小标宋; page numbers in 4号 as "— 1 —", odd pages on the right
and even pages on the left.

The fonts are the ones offices have (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体). Each run names its
font for East Asian text too, otherwise Word shows Chinese in its Latin fallback; the document's font table
gives every one of them a common substitute of the same kind (Song, Fangsong, Hei, Kai, serif), which Word,
WPS and LibreOffice use on a computer that lacks the font. Every text goes through
`tongtui.core.officefiles.text`, so no character a person pasted can break the file.
"""

import datetime
import io
import math
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from tongtui.core.officefiles import text as clean

TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
TEXT_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
# font -> (substitute, family, panose): what a computer without the font shows instead.
FALLBACKS = {
    TITLE_FONT: ("宋体", "roman", "02010600030101010101"),
    TEXT_FONT: ("仿宋", "modern", "02010609030101010101"),
    KAI_FONT: ("楷体", "modern", "02010609060101010101"),
    HEAD_FONT: ("SimHei", "modern", "02010609060101010101"),
    TABLE_FONT: ("SimSun", "roman", "02010600030101010101"),
}

# sizes in points by their Chinese names
SIZE_2 = 22.0  # 2号: the title
SIZE_3 = 16.0  # 3号: the text
SIZE_4 = 14.0  # 4号: page numbers, forms
SIZE_5 = 10.5  # 5号: dense tables

RED = RGBColor(0xE6, 0x00, 0x12)
BLACK = RGBColor(0, 0, 0)

PAGE = (210, 297)  # A4, mm
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]  # 156 mm
TEXT_HEIGHT = PAGE[1] - MARGINS["top"] - MARGINS["bottom"]  # 225 mm
LETTER_LINE = 170  # mm: the red double line of the letter format reaches past the text block
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH = Twips(math.floor(TEXT_HEIGHT * TWIPS_PER_MM / LINES_PER_PAGE))  # 28.95 pt: 22 lines fit
# twentieths of a point between 3号 characters: 28 × (16 − 0.25) pt fit the 156 mm (442 pt) line
CHAR_TIGHTEN = -5
NUMERALS = "一二三四五六七八九十"


def day(value: datetime.date) -> str:
    """2026年3月2日: dates in Arabic numerals, with year, month and day in full."""
    return f"{value.year}年{value.month}月{value.day}日"


def numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (for headings 一、二、…)."""
    if n <= 10:
        return NUMERALS[n - 1]
    return ("十" if n < 20 else NUMERALS[n // 10 - 1] + "十") + (NUMERALS[n % 10 - 1] if n % 10 else "")


def set_font(run: Run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def add_run(p: Paragraph, value: Any, font: str, size: float, *, bold: bool = False,
            color: RGBColor | None = None) -> Run:  # fmt: skip
    run = p.add_run(clean(value))  # python-docx turns \n into a line break and \t into a tab
    set_font(run, font, size, bold=bold, color=color)
    return run


class OfficialDocument:
    """A document being written, top to bottom. `issuer` (the issuing body, e.g. 区委区政府督查室) and
    `number` (发文字号, e.g. 交办〔2026〕12号) print the red heading; without an issuer the document starts
    with its title, as a meeting pack does."""

    def __init__(self, *, issuer: str = "", number: str = "", letter: bool = True) -> None:
        self.doc: DocxDocument = Document()
        self._setup()
        if issuer and letter:
            self._letter_heading(issuer, number)
        elif issuer:
            self._heading(issuer, number)

    # page, grid, styles, fonts, page numbers
    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
        section.header_distance = Mm(15)
        section.footer_distance = Mm(21)  # the page number's top sits about 7 mm under the text block
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        # A line grid; characters are not snapped to a grid (LibreOffice would then give a 3号 character two
        # cells), the text runs are set 0.25 pt closer instead, so that 28 fit on a line.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.twips)))
        normal = self.doc.styles["Normal"]
        normal.font.name = TEXT_FONT  # type: ignore[attr-defined]
        normal.font.size = Pt(SIZE_3)  # type: ignore[attr-defined]
        rpr = normal.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), TEXT_FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese glyphs, not the Japanese forms of the same characters
        rpr.append(lang)
        fmt = normal.paragraph_format  # type: ignore[attr-defined]
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        self._font_table()
        self.doc.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _font_table(self) -> None:
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        table = parse_xml(part.blob)
        for name, (alt, family, panose) in FALLBACKS.items():
            table.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                    f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
                    '<w:pitch w:val="variable"/></w:font>'
                )
            )
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[attr-defined]

    def _heading(self, issuer: str, number: str) -> None:
        """发文机关标志 in red, the document number under it, then the red line as wide as the text block."""
        size = _heading_size(issuer)
        p = self.paragraph(issuer, TITLE_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
        p.paragraph_format.line_spacing = Pt(size * 1.25)
        p.paragraph_format.space_before = Mm(35) - LINE_PITCH  # its top 35 mm under the text block's top
        mark = self.paragraph(number, TEXT_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        mark.paragraph_format.space_before = Pt(LINE_PITCH.pt * 2)  # two blank lines under the heading
        _border(mark, "bottom", "single", 12, 11)  # the red line 4 mm under the number

    def _letter_heading(self, issuer: str, number: str) -> None:
        """信函格式, the form offices use for notices: the issuing body in red at the top, a red double line
        (thick over thin) 170 mm long 4 mm under it, the document number flush right on the first line under
        the line."""
        size = _heading_size(issuer)
        p = self.paragraph(issuer, TITLE_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(size * 1.25)
        overhang = Mm((LETTER_LINE - TEXT_WIDTH) / 2)
        fmt.left_indent = fmt.right_indent = -overhang
        _border(p, "bottom", "thickThinSmallGap", 24, 11)
        if number:
            self.paragraph(number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    # content
    def paragraph(self, value: Any = "", font: str = TEXT_FONT, size: float = SIZE_3, *, bold: bool = False,
                  align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = True,
                  color: RGBColor | None = None) -> Paragraph:  # fmt: skip
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        if value != "":
            run = add_run(p, value, font, size, bold=bold, color=color)
            if size == SIZE_3:
                spacing = OxmlElement("w:spacing")
                spacing.set(qn("w:val"), str(CHAR_TIGHTEN))
                run._element.get_or_add_rPr().append(spacing)
        return p

    def title(self, value: Any, *, color: RGBColor | None = None, after_heading: bool = True) -> Paragraph:
        """The title in 2号小标宋, centred, two lines under the red line (or at the top) and one above the
        text."""
        p = self.paragraph(
            value, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=color
        )
        p.paragraph_format.line_spacing = Pt(SIZE_2 * 1.45)
        if after_heading and len(self.doc.paragraphs) > 1:
            p.paragraph_format.space_before = Pt(LINE_PITCH.pt * 2)
        p.paragraph_format.space_after = LINE_PITCH
        return p

    def addressee(self, value: Any) -> Paragraph:
        """主送机关: flush left, ending with a full-width colon."""
        return self.paragraph(f"{clean(value).rstrip('：:')}：", indent=False)

    def heading(self, value: Any, level: int = 1) -> Paragraph:
        """一、 in 黑体; (一) in 楷体."""
        return self.paragraph(value, HEAD_FONT if level == 1 else KAI_FONT, SIZE_3)

    def signature(self, issuer: str, on: datetime.date) -> None:
        """成文日期 four characters in from the right, 发文机关署名 centred over it, a blank line above."""
        date = day(on)
        self.paragraph()
        shift = max(0.0, 4 + (_chars(date) - _chars(issuer)) / 2)
        for value, right in ((issuer, shift), (date, 4.0)):
            p = self.paragraph(value, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            p.paragraph_format.right_indent = Pt(SIZE_3 * right)

    def table(self, headers: Sequence[str], widths_mm: Sequence[float], rows: Sequence[Sequence[Any]],
              centered: Sequence[int] = (), *, size: float = SIZE_5, font: str = TABLE_FONT) -> Table:  # fmt: skip
        """A bordered table with a bold header row that repeats on every page."""
        table = self._grid(len(headers), widths_mm)
        for i, name in enumerate(headers):
            _cell(table.rows[0].cells[i], name, font, size, bold=True, center=True)
        for values in rows:
            cells = table.add_row().cells
            for i, value in enumerate(values):
                _cell(cells[i], value, font, size, center=i in centered)
        _fix_widths(table, widths_mm)
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(flag)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(size)
        return table

    def form(self, rows: Sequence[tuple[str, Any]], *, label_mm: float = 32, size: float = SIZE_4) -> Table:
        """A two-column form: a label in 黑体 on the left, its content in 仿宋 on the right."""
        widths = (label_mm, TEXT_WIDTH - label_mm)
        table = self._grid(2, widths, rows=len(rows))
        for (label, value), row in zip(rows, table.rows, strict=True):
            _cell(row.cells[0], label, HEAD_FONT, size, center=True)
            _cell(row.cells[1], value, TEXT_FONT, size)
            row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            row.cells[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            row.height = Pt(size * 2.2)
        _fix_widths(table, widths)
        return table

    def _grid(self, columns: int, widths_mm: Sequence[float], rows: int = 1) -> Table:
        table = self.doc.add_table(rows=rows, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        return table

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _heading_size(issuer: str) -> float:
    """The issuing body's size: up to 48 pt, smaller when a long name would not fit on one line."""
    return min(48.0, TEXT_WIDTH / 25.4 * 72 / max(1, len(issuer)) * 0.95)


def _border(p: Paragraph, side: str, kind: str, eighths: int, space: int) -> None:
    """A red rule under (or over) a paragraph, as wide as the paragraph; `eighths` of a point thick, `space`
    points from the text."""
    borders = OxmlElement("w:pBdr")
    rule = OxmlElement(f"w:{side}")
    for key, value in (
        ("w:val", kind),
        ("w:sz", str(eighths)),
        ("w:space", str(space)),
        ("w:color", str(RED)),
    ):
        rule.set(qn(key), value)
    borders.append(rule)
    p._p.get_or_add_pPr().append(borders)


def _chars(value: str) -> float:
    """Width in characters of 3号 text: a Chinese character is one, a digit or Latin letter half of one."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in value)


def _cell(
    cell: _Cell, value: Any, font: str, size: float, *, bold: bool = False, center: bool = False
) -> None:
    p = cell.paragraphs[0]
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")  # a table keeps its own line height, off the page's line grid
    p._p.get_or_add_pPr().append(snap)
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size * 1.45)
    fmt.first_line_indent = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, value, font, size, bold=bold)


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    for i, width in enumerate(widths_mm):  # the grid for LibreOffice and WPS, the cells for Word
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _page_number(p: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— 1 —" in 4号宋体, one character in from the text block's edge."""
    p.alignment = align
    fmt = p.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIZE_4)
    else:
        fmt.left_indent = Pt(SIZE_4)
    add_run(p, "— ", TABLE_FONT, SIZE_4)
    run = p.add_run()
    set_font(run, TABLE_FONT, SIZE_4)
    for kind, instruction in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instruction
        run._element.append(el)
    add_run(p, " —", TABLE_FONT, SIZE_4)
