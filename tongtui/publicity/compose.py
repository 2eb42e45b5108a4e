"""The text of a bulletin from its facts, pure: counts by light and by status with shares, the tasks completed,
the lagging tasks with their lead units and reasons, units with late or returned reports, the published
ranking, next steps. The wording is a document format in Chinese (like the 交办单 and 督办单), not UI text;
the office edits it before publishing."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tongtui.core.gbt9704 import day

COMPLETED, LAGGING, ON_TRACK = "completed", "lagging", "on_track"
STATUS_WORDS = {COMPLETED: "已完成", ON_TRACK: "达序时进度", LAGGING: "滞后序时进度"}
LIGHT_WORDS = (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), ("blue", "蓝灯"), ("grey", "灰灯"))


@dataclass(frozen=True)
class TaskFact:
    code: str
    title: str
    lead: str
    closed: bool
    light: str | None  # the stored light (supervision.light_views), None before the first computation
    reasons: tuple[str, ...] = ()
    severity: tuple[float, ...] = ()


@dataclass(frozen=True)
class ReportFact:
    unit: str
    late: int
    returned: int


@dataclass(frozen=True)
class RankFact:
    group: str
    rows: tuple[tuple[int, str, Decimal], ...]  # (rank, unit, score), best first


@dataclass(frozen=True)
class PracticeFact:
    unit: str
    kind: str  # practice, innovation
    title: str
    summary: str


@dataclass
class Facts:
    scope: str  # 全区重点工作, 产业转型升级, 王副区长分管
    start: datetime.date
    as_of: datetime.date
    tasks: list[TaskFact] = field(default_factory=list)
    reports: list[ReportFact] = field(default_factory=list)
    ranking_period: str = ""
    rankings: list[RankFact] = field(default_factory=list)
    red_black: list[str] = field(default_factory=list)  # the published lists' lines (facts.red_and_black_lines)
    practices: list[PracticeFact] = field(default_factory=list)  # published in the period, in scope


def bucket(t: TaskFact) -> str:
    """已完成 once closed (or lit blue); 滞后 when red or yellow; else 达序时."""
    if t.closed or t.light == "blue":
        return COMPLETED
    if t.light in ("red", "yellow"):
        return LAGGING
    return ON_TRACK


def share(n: int, total: int) -> str:
    """12.5%: one decimal, half up; 0% of nothing."""
    if total == 0:
        return "0%"
    value = (Decimal(100 * n) / Decimal(total)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    return f"{value.normalize():f}%"


def span(start: datetime.date, end: datetime.date) -> str:
    """1—6月 within a year from its first day, else the dates in full."""
    if start.year == end.year and start.day == 1:
        months = f"{start.month}月" if start.month == end.month else f"{start.month}—{end.month}月"
        return f"{end.year}年{months}"
    return f"{day(start)}至{day(end)}"


def title(f: Facts) -> str:
    return f"关于{span(f.start, f.as_of)}{f.scope}推进情况的通报"


def overview(f: Facts) -> str:
    total = len(f.tasks)
    if not total:
        return f"截至{day(f.as_of)}，{f.scope}暂无纳入通报的任务。"
    counts = {k: sum(1 for t in f.tasks if bucket(t) == k) for k in STATUS_WORDS}
    status = "，".join(f"{STATUS_WORDS[k]}{counts[k]}项、占{share(counts[k], total)}" for k in
                      (COMPLETED, ON_TRACK, LAGGING))  # fmt: skip
    lights = [(word, sum(1 for t in f.tasks if t.light == key)) for key, word in LIGHT_WORDS]
    unlit = sum(1 for t in f.tasks if t.light is None)
    if unlit:
        lights.append(("尚未亮灯", unlit))
    lit = "，".join(f"{w}{n}项（{share(n, total)}）" for w, n in lights if n)
    return (f"截至{day(f.as_of)}，{f.scope}共{total}项任务。其中，{status}。"
            f"按红黄绿灯预警：{lit}。")  # fmt: skip


def _numbered(lines: Sequence[str]) -> str:
    return "\n".join(f"{i}．{line}" for i, line in enumerate(lines, 1))


def completed(f: Facts) -> str:
    done = [t for t in f.tasks if bucket(t) == COMPLETED]
    if not done:
        return "本期暂无已完成的任务。"
    return f"已完成{len(done)}项：\n" + _numbered([f"{t.code} {t.title}（牵头单位：{t.lead}）" for t in done])


def lagging(f: Facts) -> str:
    """Worst first, the reasons as supervision states them."""
    late = sorted((t for t in f.tasks if bucket(t) == LAGGING), key=lambda t: t.severity, reverse=True)
    if not late:
        return "本期无滞后序时进度的任务。"
    lines = []
    for t in late:
        why = "；".join(r.rstrip("。") for r in t.reasons) or "未达到序时进度"
        light = dict(LIGHT_WORDS).get(t.light or "", "")
        lines.append(f"{t.code} {t.title}（牵头单位：{t.lead}，{light}）：{why}。")
    return f"滞后序时进度{len(late)}项，请牵头单位对照问题抓紧整改：\n" + _numbered(lines)


def reports(f: Facts) -> str:
    rows = [r for r in f.reports if r.late or r.returned]
    if not rows:
        return "本期各单位均按时报送进展情况。"
    lines = []
    for r in rows:
        parts = ([f"逾期报送{r.late}次"] if r.late else []) + (
            [f"被退回{r.returned}次"] if r.returned else []
        )
        lines.append(f"{r.unit}：{'，'.join(parts)}")
    return f"以下{len(rows)}个单位存在进展情况逾期报送或被退回的情形：\n" + _numbered(lines)


def rankings(f: Facts) -> str:
    if not f.rankings:
        return ""
    lines = [f"根据{f.ranking_period}考核排名（已公布）："]
    for g in f.rankings:
        names = "；".join(f"第{rank}名{unit}（{score}分）" for rank, unit, score in g.rows)
        lines.append(f"{g.group}：{names}。")
    if f.red_black:  # published with the ranking: how they were drawn is on the lists' page
        lines.append("红黑榜：")
        lines.extend(f.red_black)
    return "\n".join(lines)


NEXT_STEPS = (
    "各牵头单位要对照序时进度倒排工期，对滞后事项逐项分析原因、明确整改措施和完成时限。\n"
    "各配合单位要主动对接、密切协作，形成工作合力。\n"
    "各单位要按时、如实报送进展情况，督查室将持续跟踪问效，对整改不力的予以督办。"
)


KIND_WORDS = {"practice": "典型经验", "innovation": "创新举措"}


def practices(f: Facts) -> str:
    """The practices published in the period, one line each: the unit, the kind, the title and its summary."""
    if not f.practices:
        return ""
    lines = []
    for p in f.practices:
        summary = p.summary.strip().rstrip("。")
        lines.append(f"{p.unit}{KIND_WORDS.get(p.kind, '典型经验')}《{p.title}》" + (f"：{summary}。" if summary else "。"))
    return f"本期推出可复制可借鉴的经验做法{len(lines)}项，请各单位学习借鉴：\n" + _numbered(lines)


def sections(f: Facts) -> dict[str, str]:
    """The generated text of every section; the office edits it before publishing."""
    return {
        "overview": overview(f), "completed": completed(f), "lagging": lagging(f), "reports": reports(f),
        "rankings": rankings(f), "practices": practices(f), "next_steps": NEXT_STEPS,
    }  # fmt: skip
