"""The panel other apps' pages include with one line (task, report, problem and bulletin pages):
`{% include "collaboration/_panel.html" with kind="task" obj=task %}`. It loads, in a fixed number of
queries, the instructions and 圈阅 marks on the object, the coordination requests of a task (with the
linked task's progress), the comments, and what the user may do."""

import re
from typing import Any

from django import template
from django.db.models import Case, Prefetch, Q, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tongtui.collaboration import access, actions_requests, rules, targets
from tongtui.collaboration.forms import CommentForm
from tongtui.collaboration.models import (
    TARGET_FIELDS,
    Comment,
    Instruction,
    InstructionKind,
    InstructionUnit,
    TargetKind,
)
from tongtui.orgs.roles import roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def collaboration_panel(context: template.Context, kind: str, obj: Any) -> dict[str, Any]:
    user = context.get("user")
    roles = roles_of(user)
    if obj is None or kind not in TargetKind.values or user is None or not user.is_authenticated:
        return {}
    on = {"target_kind": kind, TARGET_FIELDS[TargetKind(kind)]: obj}
    qs = Instruction.objects.filter(**on)
    if kind == TargetKind.TASK:
        # the instructions the task (or one of its milestones) came from, in the same query, as far as the user may
        # see them (one on a report or a problem the user cannot open stays out)
        source = (Q(new_task=obj) | Q(new_milestone__task=obj)) & targets.visible_q(user)
        qs = Instruction.objects.filter(Q(**on) | source).annotate(is_source=Case(When(source, then=True),
                                                                                    default=False))  # fmt: skip
    rows = list(
        qs.select_related("leader", "new_milestone")
        .prefetch_related(Prefetch("unit_links", queryset=InstructionUnit.objects.select_related("unit")))
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    field_id = TARGET_FIELDS[TargetKind(kind)] + "_id"
    here = [i for i in rows if i.target_kind == kind and getattr(i, field_id) == obj.pk]
    out: dict[str, Any] = {
        "kind": kind,
        "obj": obj,
        "instructions": [i for i in here if i.kind == InstructionKind.INSTRUCTION],
        "reads": [i for i in here if i.kind == InstructionKind.READ],
        "can_instruct": rules.may_instruct(roles),
        "today": timezone.localdate(),
    }
    if kind == TargetKind.TASK:
        out["from_instructions"] = [i for i in rows if i.is_source]  # type: ignore[attr-defined]
        requests = list(
            access.requests_visible_to(user).filter(Q(task=obj) | Q(related_task=obj))
            .select_related("task", "related_task", "from_unit", "to_unit", "to_leader")
            .order_by("-requested_at", "-pk")
        )  # fmt: skip
        for r in requests:
            r.other = r.related_task if r.task_id == obj.pk else r.task  # type: ignore[attr-defined]
        out["requests"] = requests
        out["can_ask"] = bool(actions_requests.asking_units(user, obj))
    if kind != TargetKind.BULLETIN:
        out["comments"] = list(
            Comment.objects.filter(**on).select_related("author__person").order_by("created_at", "pk")
        )
        out["comment_form"] = CommentForm()
    return out


AT = re.compile(r"([@＠][^\s,，.。;；:：!！?？、()（）@＠]{1,20})")


@register.filter
def with_mentions(text: str) -> SafeString:
    """A comment's text, escaped, each @name in bold."""
    parts = AT.split(text or "")
    return mark_safe("".join(f"<strong class=\"text-primary\">{escape(p)}</strong>" if i % 2 else escape(p)
                             for i, p in enumerate(parts)))  # fmt: skip
