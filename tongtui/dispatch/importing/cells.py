"""Pure parsing of ledger cells: progress percentages, months in headers and period cells, dates."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tongtui.plans.importing.normalize import simplify

_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_PERCENT = re.compile(_NUMBER + r"\s*%")
# a percentage named as the task's progress wins over any other percentage in the text
_NAMED = re.compile(
    r"(?:形象进度|总体进度|整体进度|工程进度|项目进度|完成进度|累计完成|完成比例|完成率|进度|完成|达到)"
    r"[^\d%,;。,;]{0,6}?" + _NUMBER + r"\s*%"
)
_DONE = re.compile(
    r"(?:已|全部|全面|如期|提前)(?:完成|竣工|办结|建成)(?:全年|年度)?(?:目标)?(?:任务)?[。.!！]?$"
)
_NOT_DONE = re.compile(r"未|尚未|没有|暂未")


@dataclass(frozen=True)
class Progress:
    value: Decimal | None
    over: bool = False  # the text claims more than 100 %: kept as 100


def parse_percent(text: str, *, ratios: bool = False) -> Decimal | None:
    """A cell that holds only a number or a percentage: "60", "60%", "0.6" (a ratio), "60.5 %".

    Excel stores a cell formatted as 60% as 0.6: a fraction between 0 and 1 is read as a ratio, and in a
    column of ratios (`ratios`, see `is_ratio_column`) so are 0 and 1 (100 %).
    """
    t = simplify(text).strip().rstrip("%").strip()
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    if "%" not in simplify(text) and (ratios or (Decimal(0) < value <= Decimal(1) and "." in t)):
        value *= 100
    return value


def is_ratio_column(cells: list[str]) -> bool:
    """True when a percentage column holds Excel ratios: no % signs, every number within 0–1, some fractional."""
    values = []
    for cell in cells:
        t = simplify(cell).strip()
        if not t:
            continue
        if "%" in t:
            return False
        try:
            values.append(Decimal(t))
        except InvalidOperation:
            continue
    return (
        bool(values) and all(0 <= v <= 1 for v in values) and any(v != v.to_integral_value() for v in values)
    )


def parse_progress(text: str) -> Progress:
    """The progress claimed by a text such as "完成60%,已开工建设"; None when it claims no percentage.

    A percentage named as progress (完成/形象进度/进度 …) wins; otherwise the only percentage in the text;
    a text that says the task is done (已完成, 已竣工, 已办结) without a percentage counts as 100.
    """
    t = simplify(text)
    named = _NAMED.search(t)
    found = [named.group(1)] if named else _PERCENT.findall(t)
    if named is None and len(found) != 1:
        if not found and _DONE.search(t.strip()) and not _NOT_DONE.search(t):
            return Progress(Decimal(100))
        return Progress(None)
    value = Decimal(found[0])
    if value > 100:
        return Progress(Decimal(100), over=True)
    return Progress(value)


@dataclass(frozen=True)
class Month:
    year: int | None
    month: int
    first: int | None = None  # "1-3月": cumulative from month 1


_MONTH = re.compile(
    r"^(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*(?:月份?)?\s*[-—–~～至到]\s*)?(\d{1,2})\s*月(?:份|末|底)?"
)
_ISO_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*月)?(?:\s*[-/.]\s*(\d{1,2})\s*日?)?$")
_CN_MONTH = "一二三四五六七八九十"


def _cn_months(text: str) -> str:
    """十一月 -> 11月, 三月 -> 3月 (only before 月)."""

    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        if s == "十":
            n = 10
        elif s.startswith("十"):
            n = 10 + _CN_MONTH.index(s[1]) + 1
        else:
            n = _CN_MONTH.index(s) + 1
        return f"{n}月"

    return re.sub(r"(十[一二]|十|[一二三四五六七八九])月", repl, text)


def month_prefix(text: str) -> tuple[Month, str] | None:
    """A header that starts with a month: "3月进展" -> (Month(None, 3), "进展"); "1-11月推进情况" -> cumulative."""
    t = _cn_months(simplify(text).strip())
    m = _MONTH.match(t)
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else None
    month = int(m.group(3))
    first = int(m.group(2)) if m.group(2) else None
    if not 1 <= month <= 12 or (first is not None and not 1 <= first <= month):
        return None
    return Month(year, month, first), t[m.end() :].strip()


def parse_month(text: str, year: int) -> datetime.date | None:
    """A period cell -> the first day of its month: "3月", "2026年3月", "2026-03", "1-3月", a date in the month."""
    t = _cn_months(simplify(text).strip())
    if not t:
        return None
    iso = _ISO_MONTH.match(t)
    if iso:
        y, mo = int(iso.group(1)), int(iso.group(2))
    else:
        found = month_prefix(t)
        if found is None or found[1]:
            return None
        y, mo = found[0].year or year, found[0].month
    if not 1 <= mo <= 12 or not 2000 <= y <= 2100:
        return None
    return datetime.date(y, mo, 1)


def parse_date(text: str) -> datetime.date | None:
    """A full date: "2026-03-25", "2026/3/25", "2026年3月25日", "2026.3.25"."""
    t = simplify(text).strip()
    m = re.match(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$", t
    )
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
