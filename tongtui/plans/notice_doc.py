"""The 交办单 (assignment notice) of an assigned task, as a GB/T 9704 .docx with its number 交办〔2026〕12号.

The fields offices print on a 工作交办单: 工作事项、工作要求、牵头单位、配合单位、责任领导、责任人、时限要求 (with the
roadmap)、签收时限、交办单编号. Like the ledger, the wording is a document format in Chinese, not UI text.
"""

from django.utils import timezone

from tongtui.core.gbt9704 import OfficialDocument, day
from tongtui.orgs.models import Unit, UnitKind
from tongtui.plans.ledger import co_unit_text, lead_text, ledger_tasks, percent, person_text
from tongtui.plans.models import Task, TaskStatus

DEFAULT_ISSUER = "督查室"


def issuing_body() -> str:
    """The issuing body printed in red at the top: the name of the supervision office's unit."""
    name = (
        Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True)
        .order_by("order", "pk")
        .values_list("name", flat=True)
        .first()
    )
    return name or DEFAULT_ISSUER


def has_assignment_notice(task: Task) -> bool:
    """Only a task that was assigned, and so numbered, has a 交办单."""
    return task.status != TaskStatus.DRAFT and task.assignment_no is not None


def assignment_number(task: Task) -> str:
    return f"交办〔{task.plan.year}〕{task.assignment_no}号"


def _requirements(task: Task) -> str:
    parts = [(label, value.strip()) for label, value in
             (("工作目标", task.goal), ("主要举措", task.measures), ("成果形式", task.deliverables))]  # fmt: skip
    lines = [f"{label}：{value}" for label, value in parts if value]
    return "\n".join(lines) or "按任务书要求抓好落实。"


def _deadline(task: Task) -> str:
    if task.due is not None:
        text = f"{day(task.due)}前完成"
        if task.original_due is not None and task.original_due != task.due:
            text += f"（原定{day(task.original_due)}，已调整）"
    else:
        text = task.deadline_text or "按要求完成"
    steps = []
    for n, m in enumerate(task.milestones.all(), start=1):
        was = f"（原定{day(m.original_due)}）" if m.original_due and m.original_due != m.due else ""
        steps.append(f"{n}.{day(m.due)}{was}前{m.title}（{percent(m.planned_progress)}%）")
    if steps:
        text += "\n路线图：\n" + "\n".join(steps)
    return text


def _acknowledge_by(task: Task) -> str:
    if task.ack_due is None:
        return f"交办后{task.plan.acknowledge_workdays}个工作日内"
    return f"{day(task.ack_due)}前（交办后{task.plan.acknowledge_workdays}个工作日内）"


def assignment_docx(task: Task) -> bytes:
    """The .docx bytes of the task's 交办单. The caller checks `has_assignment_notice` and access."""
    task = ledger_tasks(Task.objects.filter(pk=task.pk).select_related("plan")).get()
    issuer = issuing_body()
    number = assignment_number(task)
    lead = lead_text(task)
    co = co_unit_text(task)
    doc = OfficialDocument(issuer=issuer, number=number)
    doc.title("重点工作交办单")
    doc.addressee("、".join(name for name in (lead, co) if name) or "各责任单位")
    doc.paragraph(
        f"根据{task.plan.title}安排，现将以下重点工作交办你单位。请牵头单位会同配合单位认真研究、细化措施，"
        f"按时限要求抓好落实，并于{_acknowledge_by(task)}签收。"
    )
    doc.form(
        [
            ("交办单编号", number),
            ("工作事项", f"{task.code} {task.title}"),
            ("工作要求", _requirements(task)),
            ("牵头单位", lead or "—"),
            ("配合单位", co or "—"),
            ("责任领导", person_text(task.leader, task.leader_post, task.leader_text) or "—"),
            ("责任人", person_text(task.owner, task.owner_post, task.owner_text) or "—"),
            ("时限要求", _deadline(task)),
            ("签收时限", _acknowledge_by(task)),
        ]
    )
    assigned = timezone.localdate(task.assigned_at) if task.assigned_at else timezone.localdate()
    doc.signature(issuer, assigned)
    return doc.to_bytes()
