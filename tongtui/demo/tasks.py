"""The demo task book: how a task is written down, and the roadmap templates most tasks follow.

The tasks themselves live in book_*.py, one module per pair of categories, written in the style of a
published 任务分解表: a title with its figure, lead unit, co-units, goal, measures and a dated schedule.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Sub:
    """A unit's share of a district task (a task split across towns)."""

    lead: str
    title: str
    target: float | None = None  # the unit's share of the parent's indicator
    weight: float = 1


@dataclass(frozen=True)
class Spec:
    title: str
    lead: str  # short name of the lead unit
    co: str = ""  # co-units or group names, separated by 、
    goal: str = ""
    measures: str = ""
    deliverables: str = ""
    steps: str = "indicator"  # a template key or a schedule "3月底前…;6月底前…"
    ind: tuple | None = None  # (name, unit of measure, baseline, target[, "down" | "reach"])
    start: str = "1-1"
    due: str = ""  # "M-D", or "{next}-M-D" in the following year; empty: the last step's date
    deadline: str = ""  # the deadline as the notice writes it; empty: derived
    weight: float = 1
    source: str = "work_report"
    public: bool = False
    leader: str = ""  # a leader key from district.LEADERS; empty: the category's leader
    state: str = ""  # "draft", "suspended" or "lagging" to pin the task's state; empty: drawn
    subs: tuple[Sub, ...] = ()


# category name, the key of the leader in charge of it
CATEGORIES: list[tuple[str, str]] = [
    ("产业转型升级", "economy"),
    ("乡村振兴", "rural"),
    ("生态环境保护", "ecology"),
    ("民生保障", "welfare"),
    ("项目建设", "projects"),
    ("营商环境", "economy"),
]

TEMPLATES: dict[str, tuple[str, str]] = {  # key: (schedule, deliverables)
    "indicator": (
        "4月底前完成一季度指标调度分析;7月底前实现时间过半、任务过半;10月底前完成前三季度目标任务;"
        "12月底前完成全年目标任务",
        "统计报表、季度运行分析报告",
    ),
    "count": (
        "3月底前分解下达年度任务(10%);6月底前完成年度任务的40%(40%);9月底前完成年度任务的75%(75%);"
        "12月底前全面完成年度任务(100%)",
        "工作台账、验收资料",
    ),
    "project": (
        "3月底前完成前期手续办理(15%);5月底前开工建设(30%);9月底前主体工程完工(75%);12月底前竣工验收(100%)",
        "立项批复、施工许可、竣工验收报告",
    ),
    "campaign": (
        "3月底前制定实施方案并动员部署;6月底前完成阶段性工作任务;9月底前开展督导检查和中期评估;"
        "11月底前完成年度任务并总结",
        "实施方案、工作台账、总结报告",
    ),
}

STEP = re.compile(
    r"^(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日|底)前?(?P<title>.+?)"
    r"(?:[((](?P<pct>\d+(?:\.\d+)?)%[))])?$"
)


@dataclass(frozen=True)
class Step:
    due: datetime.date
    title: str
    planned: Decimal


def schedule_of(spec: Spec) -> str:
    return TEMPLATES[spec.steps][0] if spec.steps in TEMPLATES else spec.steps


def deliverables_of(spec: Spec) -> str:
    if spec.deliverables:
        return spec.deliverables
    return TEMPLATES[spec.steps][1] if spec.steps in TEMPLATES else "工作方案、进度台账、验收资料"


def parse_steps(text: str, year: int) -> list[Step]:
    """'3月底前完成立项;6月底前开工(40%)' -> dated steps; planned progress spread evenly unless given."""
    text = text.replace("{next}", str(year + 1))
    parts = [p.strip() for p in re.split(r"[;;]", text) if p.strip()]
    found = []
    for part in parts:
        m = STEP.match(part)
        if m is None:
            raise ValueError(f"cannot read the step {part!r}")
        y, month = int(m["year"] or year), int(m["month"])
        day = int(m["day"]) if m["day"] else calendar.monthrange(y, month)[1]
        found.append((datetime.date(y, month, day), m["title"], m["pct"]))
    steps = []
    for i, (due, title, pct) in enumerate(found, start=1):
        planned = Decimal(pct) if pct else (Decimal(100) * i / len(found)).quantize(Decimal(1))
        steps.append(Step(due, title, planned))
    return steps


def date_of(text: str, year: int) -> datetime.date:
    """'12-31' in the plan year, '{next}-2-10' in the year after."""
    parts = [int(p) for p in text.replace("{next}", str(year + 1)).split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    return datetime.date(year, parts[0], parts[1])


def deadline_text(due: datetime.date, year: int, spec: Spec) -> str:
    if spec.deadline:
        return spec.deadline
    if spec.steps == "indicator":
        return "全年"
    prefix = f"{due.year}年" if due.year != year else ""
    last = calendar.monthrange(due.year, due.month)[1]
    return f"{prefix}{due.month}月底前" if due.day == last else f"{prefix}{due.month}月{due.day}日前"
