"""Labelled text: 牵头单位:… 责任单位:…, units in a trailing bracket, and 部门分工 such as "X牵头,Y配合"."""

import re
from dataclasses import dataclass, field

from tongtui.plans.importing.headers import SYNONYMS
from tongtui.plans.importing.normalize import simplify, view
from tongtui.plans.importing.units import CLOSERS, OPENERS, clean_unit, looks_like_unit, split_top

# Labels that start a field inside running text. Words such as 目标 or 预期目标 also occur in task texts
# ("主要预期目标:经济增长7.5%"), so only the unmistakable ones count as labels.
LABEL_FIELDS = ("lead", "co", "duty", "leader", "owner", "deadline", "schedule", "start")
_LABEL_TO_FIELD = {label: f for f in LABEL_FIELDS for label in SYNONYMS[f] if len(label) >= 3}
_LABEL_TO_FIELD.update(
    {
        "责任人": "owner",
        "工作目标": "goal",
        "主要举措": "measures",
        "工作措施": "measures",
        "成果形式": "deliverables",
        "完成标志": "deliverables",
    }
)
LABEL_RE = re.compile(
    r"(" + "|".join(re.escape(lb) for lb in sorted(_LABEL_TO_FIELD, key=len, reverse=True)) + r")\s*[:：]"
)
_LEAD_MARK = re.compile(r"(?:分别|共同)?牵头(?:负责|落实)?$")
_CO_MARK = re.compile(
    r"(?:配合|协助|协办|参与|按职责分工负责|按职责负责|按职能分工负责|分工负责|共同负责|按职责分工落实)$"
)
_DUTY_MARK = re.compile(r"负责$")
_POST = re.compile(r"长|书记|领导|主任|同志|秘书")
_VALUE_TRIM = " \t;；,，。、"


def split_labelled(text: str) -> tuple[str, dict[str, str]]:
    """ "title 牵头单位:A 责任单位:B" -> ("title", {"lead": "A", "duty": "B"})."""
    simple, text = view(text)
    matches = list(LABEL_RE.finditer(simple))
    if not matches:
        return text, {}
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end].strip(_VALUE_TRIM)
        name = _LABEL_TO_FIELD[m.group(1)]
        if value:
            values[name] = values[name] + "、" + value if name in values else value
    return text[: matches[0].start()].strip(), values


def starts_with_label(text: str) -> bool:
    m = LABEL_RE.match(simplify(text).lstrip())
    return m is not None


def trailing_bracket(text: str) -> tuple[str, str] | None:
    """The bracket at the end of the text: ("title", "inside"); also an unclosed one that holds labels."""
    t = text.rstrip(" 。.;；")
    if t and t[-1] in CLOSERS:
        depth = 0
        for i in range(len(t) - 1, -1, -1):
            if t[i] in CLOSERS:
                depth += 1
            elif t[i] in OPENERS:
                depth -= 1
                if depth == 0:
                    return t[:i].rstrip(), t[i + 1 : -1].strip()
        return None
    depth, last_open = 0, -1
    for i, ch in enumerate(t):
        if ch in OPENERS:
            if depth == 0:
                last_open = i
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
    if depth > 0 and last_open >= 0 and LABEL_RE.search(simplify(t[last_open:])):
        return t[:last_open].rstrip(), t[last_open + 1 :].strip()
    return None


def inline_units(title: str) -> tuple[str, dict[str, str]]:
    """Units written at the end of the task text: (牵头单位:区卫健局;责任单位:…) or (区发改局、金融办)."""
    found = trailing_bracket(title)
    if not found:
        return title, {}
    before, inside = found
    if not before:
        return title, {}
    head, labelled = split_labelled(inside)
    if labelled:
        return before, labelled
    if has_duty_marks(inside):
        return before, {"duty": inside}
    items = [clean_unit(i) for i in split_top(inside)]
    if items and all(i and looks_like_unit(i) for i in items):
        return before, {"duty": inside}
    return title, {}


@dataclass
class Duty:
    """部门分工 read apart: who leads, who co-operates, which leaders are named, and the unmarked rest."""

    leads: list[str] = field(default_factory=list)
    cos: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)


def has_duty_marks(text: str) -> bool:
    return any(_LEAD_MARK.search(_strip(i)) or _CO_MARK.search(_strip(i)) for i in split_top(simplify(text)))


def _strip(item: str) -> str:
    return item.strip(" 。.")


def parse_duty(text: str) -> Duty:
    """ "省发展改革委牵头,各地、各部门配合" -> leads 省发展改革委, co-units 各地 and 各部门."""
    duty = Duty()
    buffer: list[str] = []
    for raw in split_top(simplify(text)):
        item = _strip(raw)
        if _LEAD_MARK.search(item):
            names = [*buffer, _LEAD_MARK.sub("", item)]
            target = (
                duty.leaders if all(_POST.search(n) and not looks_like_unit(n) for n in names) else duty.leads
            )
            target.extend(n for n in names if n)
            buffer = []
        elif _CO_MARK.search(item):
            duty.cos.extend(n for n in [*buffer, _CO_MARK.sub("", item)] if n)
            buffer = []
        elif _DUTY_MARK.search(item):
            names = [*buffer, _DUTY_MARK.sub("", item)]
            if all(_POST.search(n) and not looks_like_unit(n) for n in names if n):
                duty.leaders.extend(n for n in names if n)
            else:
                duty.rest.extend(n for n in names if n)
            buffer = []
        else:
            buffer.append(item)
    duty.rest.extend(buffer)
    return duty
