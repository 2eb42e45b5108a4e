"""The text of the year-end report (关于2026年度重点工作完成情况的报告) from its facts, pure: totals by outcome
with shares, completion by category, the carried-over tasks with their lead units and reasons, the cancelled
ones with reasons, the year ranking per group and the red and black lists where published. The wording is a
document format in Chinese (like the bulletin), not UI text."""

from dataclasses import dataclass, field
from decimal import Decimal

from tongtui.core.gbt9704 import numeral

WORDS = {"closed": "已办结", "carried_over": "结转下年", "cancelled": "撤销"}


@dataclass(frozen=True)
class TaskLine:
    code: str
    title: str
    lead: str
    outcome: str  # closed, carried_over, cancelled, or "" (not decided)
    reason: str = ""


@dataclass(frozen=True)
class RankLine:
    rank: int
    unit: str
    score: Decimal
    level: bool = False
    place: str = ""


@dataclass
class ReportFacts:
    year: int
    tasks: list[TaskLine] = field(default_factory=list)
    categories: list[tuple[str, int, int]] = field(default_factory=list)  # (name, tasks, closed)
    groups: list[tuple[str, list[RankLine]]] = field(default_factory=list)
    frozen: bool = False
    lists_published: bool = False


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (caption, rows) of rankings


def share(n: int, total: int) -> str:
    """12.5%: one decimal, half up; 0% of nothing."""
    if total == 0:
        return "0%"
    value = (Decimal(100 * n) / Decimal(total)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    return f"{value.normalize():f}%"


def title(f: ReportFacts) -> str:
    return f"关于{f.year}年度重点工作完成情况的报告"


def overview(f: ReportFacts) -> str:
    total = len(f.tasks)
    if not total:
        return f"{f.year}年度暂无纳入督查的重点工作。"
    parts = []
    for key in ("closed", "carried_over", "cancelled"):
        n = sum(1 for t in f.tasks if t.outcome == key)
        parts.append(f"{WORDS[key]}{n}项、占{share(n, total)}")
    text = f"{f.year}年度纳入督查的重点工作共{total}项。经年终评估，" + "；".join(parts) + "。"
    left = sum(1 for t in f.tasks if not t.outcome)
    if left:
        text += f"尚有{left}项未完成评估。"
    return text


def by_category(f: ReportFacts) -> list[str]:
    return [
        f"{name or '未分类'}：共{n}项，已办结{done}项，完成率{share(done, n)}。"
        for name, n, done in f.categories
    ]


def _numbered(lines: list[str]) -> list[str]:
    return [f"{i}．{line}" for i, line in enumerate(lines, 1)]


def _why(reason: str) -> str:
    return reason.strip().rstrip("。；;.") or "未说明理由"


def carried(f: ReportFacts) -> list[str]:
    rows = [t for t in f.tasks if t.outcome == "carried_over"]
    if not rows:
        return ["本年度无结转下年的任务。"]
    head = f"结转下年{len(rows)}项，已纳入{f.year + 1}年度重点工作继续推进："
    return [head, *_numbered([f"{t.code} {t.title}（牵头单位：{t.lead}）：{_why(t.reason)}。" for t in rows])]


def cancelled(f: ReportFacts) -> list[str]:
    rows = [t for t in f.tasks if t.outcome == "cancelled"]
    if not rows:
        return ["本年度无撤销的任务。"]
    return [
        f"撤销{len(rows)}项：",
        *_numbered([f"{t.code} {t.title}（牵头单位：{t.lead}）：{_why(t.reason)}。" for t in rows]),
    ]


def ranking_rows(rows: list[RankLine]) -> list[list[str]]:
    return [[f"{r.rank}{'≈' if r.level else ''}", r.unit, f"{r.score.normalize():f}"] for r in rows]


def red_black(f: ReportFacts) -> list[str]:
    out = []
    for name, rows in f.groups:
        red = "、".join(r.unit for r in rows if r.place == "red") or "无"
        black = "、".join(r.unit for r in rows if r.place == "black") or "无"
        out.append(f"{name}：红榜为{red}；黑榜为{black}。")
    return out


def sections(f: ReportFacts) -> list[Section]:
    out = [
        Section("总体情况", [overview(f)]),
        Section("分类完成情况", by_category(f) or ["本年度无任务。"]),
        Section("结转下年的任务", carried(f)),
        Section("撤销的任务", cancelled(f)),
    ]
    if f.groups:
        note = (
            "年度考核得分已冻结，以下为最终排名。"
            if f.frozen
            else "年度考核得分尚未冻结，以下排名以当前台账为准。"
        )
        out.append(Section("年度考核排名", [note], [(name, ranking_rows(rows)) for name, rows in f.groups]))
        if f.lists_published:
            out.append(Section("红黑榜", red_black(f)))
    for i, s in enumerate(out, 1):
        s.heading = f"{numeral(i)}、{s.heading}"
    return out
