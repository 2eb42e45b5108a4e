"""Deadlines and schedules as documents write them: 12月底前, 全年, 2024年, 第三季度, 3月底前完成立项;6月底前开工….

Pure functions: text and the plan year in, dates out. A date without a year is in the plan year.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tongtui.plans.importing.normalize import simplify

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"

_ISO = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)(?:\s*日)?(\s*(?:以前|之前|前))?"
)
_MONTH_DAY = re.compile(
    r"(?:(?<!\d)(\d{4})\s*年\s*)?(?<![\d.])(" + _MONTH + r")\s*月\s*"
    r"(?:(\d{1,2})\s*[日号]|(上旬|中旬|下旬|月?底|月?末|中|初))?(\s*(?:以前|之前|前))?"
)
_QUARTER = re.compile(r"(?:(?<!\d)(\d{4})\s*年\s*)?第?([一二三四1-4])季度(?:末|底)?(\s*(?:以前|之前|前))?")
_HALF = re.compile(
    r"(?:(?<!\d)(\d{4})\s*年\s*)?(上半年|下半年|年中|年底|年末|年内|全年|年度内|本年度|当年)"
    r"(\s*(?:以前|之前|前))?"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?(?:底|末|内)?(\s*(?:以前|之前|前))?")
_OPEN_ENDED = re.compile(
    r"持续|长期|常态|常年|经常性|每[年季月周日]|定期|逐年|适时|按期|按要求|按时|按计划|按上级|根据上级|视情况|动态|随时|全程"
)
# Dates that cannot be: a month past 12, a day past the month's end, 2026-02-30, 2026/99/99.
_BAD_ISO = re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_BAD_MONTH = re.compile(
    r"(?:(?<!\d)(\d{4})\s*年\s*)?(?<![\d.\-/~～至到])(\d{1,3})\s*月(?:\s*(\d{1,3})\s*[日号])?"
)

# An extended date as the ledger writes it: 2026-09-30(原定2026-06-30), 6月30日(原定5月31日)前: the date now
# counts; the original is already on the task.
_MOVED = re.compile(r"\s*[((](?:原定|原计划|原)\s*[^()()]*[))]")
_PERCENT_BRACKET = re.compile(r"[((]\s*(\d{1,3}(?:\.\d+)?)\s*%\s*[))]")
_PERCENT_DONE = re.compile(r"(?:完成|形象进度|进度)\s*(?:达到|达)?\s*(\d{1,3}(?:\.\d+)?)\s*%")
_STEP_SPLIT = re.compile(r"[;;\n\r]+|。")
_DATE_START = (
    r"(?:(?:\d{4}\s*年\s*)?"
    + _MONTH
    + r"\s*月|(?:\d{4}\s*年\s*)?第?[一二三四1-4]季度|上半年|下半年|年底|年末"
    r"|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.])"
)
_SOFT_SPLIT = re.compile(r"[,,、]\s*(?=" + _DATE_START + ")")
_TITLE_TRIM = " ,,、::;;。.-—~"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Found:
    due: datetime.date
    start: datetime.date  # the first day of the period the expression names
    span: tuple[int, int]
    has_year: bool


@dataclass(frozen=True)
class Deadline:
    due: datetime.date | None
    text: str
    open_ended: bool = False  # 持续推进, 长期坚持: no date, on purpose
    understood: bool = True
    invalid: tuple[str, ...] = ()  # the parts that name a date no calendar has (2026-02-30, 13月)


@dataclass(frozen=True)
class Step:
    title: str
    due: datetime.date
    planned_progress: Decimal
    given: bool  # the document stated the planned progress


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + (_CN_DIGITS[token[1]] if len(token) > 1 else 0)
    return _CN_DIGITS[token]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


def _iter_found(text: str, year: int) -> list[Found]:
    """Every date expression in the text, earliest first; overlapping weaker matches dropped."""
    found: list[Found] = []
    for m in _ISO.finditer(text):
        try:
            day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        found.append(Found(day, day, m.span(), True))
    for m in _MONTH_DAY.finditer(text):
        y = int(m[1]) if m[1] else year
        month = _number(m[2])
        if not 1 <= month <= 12:
            continue
        first = datetime.date(y, month, 1)
        try:
            if m[3]:
                due = datetime.date(y, month, int(m[3]))
                first = due
            elif m[4] in ("上旬", "初"):
                due = datetime.date(y, month, 10)
            elif m[4] in ("中旬", "中"):
                due = datetime.date(y, month, 20)
            elif m[4]:
                due = _month_end(y, month)
            elif m[5]:  # "11月前": before November
                due = _before(first)
            else:
                due = _month_end(y, month)
        except ValueError:
            continue
        found.append(Found(due, first, m.span(), bool(m[1])))
    for m in _QUARTER.finditer(text):
        y = int(m[1]) if m[1] else year
        q = _number(m[2])
        due = _month_end(y, q * 3)
        found.append(Found(due, datetime.date(y, q * 3 - 2, 1), m.span(), bool(m[1])))
    for m in _HALF.finditer(text):
        y = int(m[1]) if m[1] else year
        if m[2] in ("上半年", "年中"):
            due, first = datetime.date(y, 6, 30), datetime.date(y, 1, 1)
        elif m[2] == "下半年":
            due, first = datetime.date(y, 12, 31), datetime.date(y, 7, 1)
        else:
            due, first = datetime.date(y, 12, 31), datetime.date(y, 1, 1)
        found.append(Found(due, first, m.span(), bool(m[1])))
    for m in _YEAR.finditer(text):
        y = int(m[1])
        found.append(Found(datetime.date(y, 12, 31), datetime.date(y, 1, 1), m.span(), True))
    found.sort(key=lambda f: (f.span[0], -(f.span[1] - f.span[0])))
    kept: list[Found] = []
    for f in found:
        if kept and f.span[0] < kept[-1].span[1]:
            continue
        kept.append(f)
    return kept


def invalid_dates(text: str, year: int) -> list[str]:
    """The date expressions in the text that name no real day: 2026-02-30, 2026/99/99, 2026年13月, 6月31日."""
    t = simplify(text)
    bad: list[str] = []
    for m in _BAD_ISO.finditer(t):
        try:
            datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            bad.append(m[0].strip())
    for m in _BAD_MONTH.finditer(t):
        month = int(m[2])
        y = int(m[1]) if m[1] else year
        if not 1 <= month <= 12:
            bad.append(m[0].strip())
        elif m[3] and not 1 <= int(m[3]) <= calendar.monthrange(y, month)[1]:
            bad.append(m[0].strip())
    return bad


def without_original(text: str) -> str:
    """The text without the original date beside an extended one."""
    return _MOVED.sub("", simplify(text))


def find_dates(text: str, year: int) -> list[Found]:
    return _iter_found(simplify(text), year)


def parse_deadline(text: str, year: int) -> Deadline:
    """A deadline cell: the last date it names, or none when it is open-ended or unreadable."""
    written = text.strip()
    if not written:
        return Deadline(None, "")
    bad = invalid_dates(written, year)
    if bad:
        return Deadline(None, written, understood=False, invalid=tuple(bad))
    found = _iter_found(without_original(written), year)
    if found:
        return Deadline(found[-1].due, written)
    if _OPEN_ENDED.search(simplify(written)):
        return Deadline(None, written, open_ended=True)
    return Deadline(None, written, understood=False)


def parse_date(text: str, year: int) -> datetime.date | None:
    """A start cell: the first day of the first period it names (3月 -> 1 March)."""
    found = _iter_found(simplify(text.strip()), year)
    return found[0].start if found else None


def is_plain_date(text: str) -> bool:
    """True when the cell is just a calendar date (2026-05-31), as a ledger or a date cell writes it, also
    with its original date beside it (2026-09-30(原定2026-06-30))."""
    m = _ISO.fullmatch(without_original(text.strip()).strip())
    return m is not None and not m[4]


def split_steps(text: str) -> list[str]:
    pieces: list[str] = []
    for part in _STEP_SPLIT.split(without_original(text)):
        pieces.extend(p for p in _SOFT_SPLIT.split(part))
    return [p.strip(_TITLE_TRIM + " \t") for p in pieces if p.strip(_TITLE_TRIM + " \t")]


def _given_progress(step: str) -> tuple[Decimal | None, str]:
    m = _PERCENT_BRACKET.search(step)
    if m:
        return Decimal(m[1]), (step[: m.start()] + step[m.end() :]).strip()
    m = _PERCENT_DONE.search(step)
    if m:
        return Decimal(m[1]), step
    return None, step


def spread(given: list[Decimal | None]) -> list[Decimal]:
    """Planned progress per step: the stated values, the others spread evenly between them (last = 100)."""
    values: list[Decimal | None] = list(given)
    if values and values[-1] is None:
        values[-1] = HUNDRED
    result: list[Decimal] = []
    prev_i, prev_v = -1, Decimal(0)
    for i, v in enumerate(values):
        if v is None:
            continue
        gap = i - prev_i
        for k in range(1, gap):
            result.append(prev_v + (v - prev_v) * k / gap)
        result.append(v)
        prev_i, prev_v = i, v
    return [r.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for r in result]


def parse_schedule(text: str, year: int) -> tuple[list[Step], list[str]]:
    """A schedule cell -> dated steps with planned progress, and the pieces that name no date."""
    steps: list[tuple[str, datetime.date, Decimal | None]] = []
    undated: list[str] = []
    for piece in split_steps(text):
        value, rest = _given_progress(piece)
        found = _iter_found(rest, year)
        if not found:
            undated.append(piece)
            continue
        first = found[0]
        title = (rest[: first.span[0]] + rest[first.span[1] :]).strip(_TITLE_TRIM)
        steps.append((title or rest.strip(_TITLE_TRIM), found[-1].due if not title else first.due, value))
    progress = spread([v for _t, _d, v in steps])
    return [
        Step(title, due, p, v is not None) for (title, due, v), p in zip(steps, progress, strict=True)
    ], undated
