"""The year-end review's files: the results workbook (.xlsx: a sheet of task outcomes, a sheet per group with
the year ranking) and the report (.docx in the GB/T 9704 layout through core.gbt9704). Both read the frozen
ranking once the year is frozen, else today's, and say which. The caller checks access."""

from io import BytesIO
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tongtui.assessment.export import KINDS
from tongtui.assessment.rules_data import RuleKind
from tongtui.assessment.yearend_compose import RankLine, ReportFacts, TaskLine, sections, title
from tongtui.assessment.yearend_data import category_counts, lists_published, outcome_rows, results
from tongtui.core.gbt9704 import OfficialDocument, day, numeral
from tongtui.core.officefiles import append_row, sheet_title
from tongtui.plans.models import Plan, Task
from tongtui.plans.notice_doc import issuing_body


def _lead(task: Task) -> str:
    return task.lead_unit.name if task.lead_unit is not None else (task.lead_text or "—")


def write_results(plan: Plan) -> bytes:
    groups, frozen = results(plan)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(_("Task outcomes"))
    append_row(ws, [_("No."), _("Code"), _("Task"), _("Category"), _("Lead unit"), _("Status"),
                    _("Year-end outcome"), _("Reason"), _("Carried over to"), _("Decided by"), _("Decided at")])  # fmt: skip
    decided = {o.task_id: o for o in outcome_rows(plan)}
    tasks = (
        Task.objects.filter(plan=plan).select_related("category", "lead_unit").order_by("code_sort", "code")
    )
    for n, t in enumerate(tasks, 1):
        o = decided.get(t.pk)
        to = f"{o.carried_to.plan.year} {o.carried_to.code}" if o is not None and o.carried_to else None
        when = timezone.localtime(o.decided_at).strftime("%Y-%m-%d %H:%M") if o is not None else None
        who = (o.decided_by.get_username() if o.decided_by else None) if o is not None else None
        append_row(ws, [n, t.code, t.title, t.category.name if t.category else None, _lead(t),
                        t.get_status_display(), o.get_outcome_display() if o else _("Not decided"),
                        o.reason if o else None, to, who, when])  # fmt: skip
    ws.freeze_panes = "C2"
    _widths(ws, [6, 10, 44, 14, 22, 10, 12, 36, 14, 12, 17])
    for g in groups:
        sheet = wb.create_sheet(sheet_title(g.name))
        append_row(sheet, [_("Group"), _("Unit"), _("Score"), _("Rank"), _("Red and black lists"),
                           *(str(RuleKind(k).label) for k in KINDS)])  # fmt: skip
        labels = {"red": _("Red list"), "black": _("Black list")}
        for r in g.rows:
            append_row(sheet, [g.name, r.unit_name, r.score, f"{r.rank}{'≈' if r.level else ''}",
                               labels.get(r.place), *(r.by_kind.get(k) for k in KINDS)])  # fmt: skip
        sheet.freeze_panes = "C2"
        _widths(sheet, [14, 30, 9, 7, 9, *([11] * len(KINDS))])
    if not frozen:
        note = wb.create_sheet(sheet_title(_("Not frozen")))
        note.append([_("The scores of this year are not frozen yet: the ranking is today's and may change.")])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _widths(sheet: Any, widths: list[float]) -> None:
    """Column widths, and printed landscape as wide as one page."""
    for i, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def report_facts(plan: Plan) -> ReportFacts:
    decided = {o.task_id: o for o in outcome_rows(plan)}
    tasks = Task.objects.filter(plan=plan).select_related("lead_unit").order_by("code_sort", "code")
    lines = [TaskLine(t.code, t.title, _lead(t), decided[t.pk].outcome if t.pk in decided else "",
                      decided[t.pk].reason if t.pk in decided else "") for t in tasks]  # fmt: skip
    groups, frozen = results(plan)
    return ReportFacts(
        year=plan.year, tasks=lines, categories=category_counts(plan), frozen=frozen,
        groups=[(g.name, [RankLine(r.rank, r.unit_name, r.score, r.level, r.place) for r in g.rows])
                for g in groups if g.rows],
        lists_published=lists_published(plan),
    )  # fmt: skip


def write_report(plan: Plan) -> bytes:
    with translation.override("zh-hans"):  # a Chinese document: the group names too
        facts = report_facts(plan)
        issuer = issuing_body()
        doc = OfficialDocument(issuer=issuer, number="", letter=False)
        doc.title(title(facts))
        doc.addressee("区委、区政府")
        doc.paragraph(f"现将{facts.year}年度重点工作年终评估情况报告如下。")
        for s in sections(facts):
            doc.heading(s.heading)
            for line in s.lines:
                doc.paragraph(line)
            for i, (caption, rows) in enumerate(s.tables, 1):
                doc.heading(f"（{numeral(i)}）{caption}", level=2).paragraph_format.keep_with_next = True
                doc.table(["名次", "单位", "得分"], [24, 96, 36], rows, centered=(0, 2))
        doc.paragraph("特此报告。")
        doc.signature(issuer, timezone.localdate())
        return doc.to_bytes()


def report_name(plan: Plan) -> str:
    return f"{plan.year}年度重点工作完成情况报告-{day(timezone.localdate())}.docx"


def results_name(plan: Plan) -> str:
    return f"{plan.year}年终评估结果.xlsx"
