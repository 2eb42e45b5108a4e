"""Rankings (排名) as a pure function of the ledger: periods, scores, ranks with ties, level units, changes.

A period's score of a unit is its task points (they stand for the whole year once the task has started)
plus the bonuses and deductions dated inside the period. Equal scores share a rank and the next rank skips
(1, 2, 2, 4), as offices write them. Units whose scores differ by no more than the scheme's margin are
named as level with each other, so a reader does not take a tenth of a point for a real difference.
"""

import bisect
import calendar
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tongtui.assessment.rules_data import RuleKind

ZERO = Decimal(0)
LEVEL_SHOWN = 5  # units named in a row's "level with" tooltip


@dataclass(frozen=True)
class Period:
    key: str  # 2026, 2026-H1, 2026-Q2, 2026-06
    start: datetime.date
    end: datetime.date

    @property
    def kind(self) -> str:
        if "-H" in self.key:
            return "half"
        if "-Q" in self.key:
            return "quarter"
        return "month" if "-" in self.key else "year"

    @property
    def label(self) -> str:
        """The period as people write it: 2026年第2季度, 2026年上半年, 2026年6月, 2026年度."""
        y, kind = self.start.year, self.kind
        if kind == "quarter":
            return _("%(year)s, quarter %(n)s") % {"year": y, "n": (self.start.month + 2) // 3}
        if kind == "half":
            return (
                _("first half of %(year)s") if self.start.month == 1 else _("second half of %(year)s")
            ) % {"year": y}
        if kind == "month":
            return _("%(month)s/%(year)s") % {"year": y, "month": self.start.month}
        return _("year %(year)s") % {"year": y}

    def previous(self) -> "Period | None":
        """The period of the same length just before, within the same year (a year has none)."""
        if self.kind == "year" or self.start.month == 1:
            return None
        return period_ending(self.kind, self.start - datetime.timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")


def parse_period(text: str) -> Period:
    m = _PERIOD.match(text.strip().upper())
    if not m:
        raise ValueError(f"not a period: {text!r} (2026, 2026-H1, 2026-Q2 or 2026-06)")
    year = int(m.group(1))
    if m.group(2):
        first = int(m.group(2))
        months = 1
    elif m.group(3):
        first, months = 3 * int(m.group(3)) - 2, 3
    elif m.group(4):
        first, months = 6 * int(m.group(4)) - 5, 6
    else:
        first, months = 1, 12
    last = first + months - 1
    return Period(
        text.strip().upper(), datetime.date(year, first, 1),
        datetime.date(year, last, calendar.monthrange(year, last)[1]),
    )  # fmt: skip


def period_ending(kind: str, day: datetime.date) -> Period:
    """The period of this kind that holds `day`."""
    y, mo = day.year, day.month
    key = {"year": f"{y}", "half": f"{y}-H{(mo - 1) // 6 + 1}", "quarter": f"{y}-Q{(mo - 1) // 3 + 1}",
           "month": f"{y}-{mo:02d}"}[kind]  # fmt: skip
    return parse_period(key)


def periods_of_year(year: int) -> list[Period]:
    keys = [f"{year}", f"{year}-H1", f"{year}-H2", *(f"{year}-Q{i}" for i in range(1, 5)),
            *(f"{year}-{m:02d}" for m in range(1, 13))]  # fmt: skip
    return [parse_period(k) for k in keys]


@dataclass(frozen=True)
class LedgerLine:
    """What the ranking needs of a ledger entry."""

    unit_id: int
    kind: str
    on: datetime.date
    points: Decimal


def counts_in(line: LedgerLine, period: Period) -> bool:
    if line.kind == RuleKind.TASK:
        return line.on <= period.end
    return line.on in period


@dataclass
class Row:
    unit_id: int
    score: Decimal
    rank: int = 0
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    previous_score: Decimal | None = None
    previous_rank: int | None = None
    # the group's table best first and this row's window of scores within the margin: [lo, hi)
    window: tuple[list["Row"], int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def level_with(self) -> list[int]:
        """The units within the margin with a different score, best first (listed when asked: at a province's
        10,000 units a window can hold thousands)."""
        if self.window is None:
            return []
        ordered, lo, hi = self.window
        return [o.unit_id for o in ordered[lo:hi] if o.score != self.score]

    def _same(self) -> tuple[int, int]:
        """Where this row's score starts and ends in its window (ties sit together: the table is best first)."""
        assert self.window is not None
        ordered, lo, hi = self.window
        at = -self.score
        return (bisect.bisect_left(ordered, at, lo, hi, key=lambda r: -r.score),
                bisect.bisect_right(ordered, at, lo, hi, key=lambda r: -r.score))  # fmt: skip

    @property
    def level_count(self) -> int:
        """How many units are level with this one, without listing them."""
        if self.window is None:
            return 0
        _ordered, lo, hi = self.window
        same_lo, same_hi = self._same()
        return (hi - lo) - (same_hi - same_lo)

    @property
    def level_some(self) -> list[int]:
        """The first LEVEL_SHOWN of `level_with`, for a tooltip: a province's window can hold thousands."""
        if self.window is None:
            return []
        ordered, lo, hi = self.window
        same_lo, same_hi = self._same()
        ids = [ordered[i].unit_id for i in range(lo, min(same_lo, lo + LEVEL_SHOWN))]
        return ids + [ordered[i].unit_id for i in range(same_hi, min(hi, same_hi + LEVEL_SHOWN - len(ids)))]

    @property
    def level(self) -> bool:
        """Level with another unit: a different score within the margin, so no real difference. The window is
        contiguous and best first, so it holds another score exactly when its first or last one differs."""
        if self.window is None:
            return False
        ordered, lo, hi = self.window
        return ordered[lo].score != self.score or ordered[hi - 1].score != self.score

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_score is None else self.score - self.previous_score

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive is up)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def summed(lines: Iterable[LedgerLine], period: Period) -> list[LedgerLine]:
    """What `rank_group` reads of a ledger for `period` (and the previous period it compares with), summed: per
    unit and rule, one line per part of time that counts differently, dated at that part's end. A task's points
    count up to a period's end, so they split at the previous period's end; other points count within their
    period, so those of the two periods are kept and the rest dropped. A part with no line gives no line, as a rule
    with no line is absent from a row. Ranking these gives the same rows as ranking the lines themselves
    (`assessment.tables.summed_lines` does the same sums in the database)."""
    prev = period.previous()
    parts: dict[tuple[int, str, datetime.date], Decimal] = {}
    for line in lines:
        if line.kind == RuleKind.TASK:
            if line.on > period.end:
                continue
            on = prev.end if prev is not None and line.on <= prev.end else period.end
        elif line.on in period:
            on = period.end
        elif prev is not None and line.on in prev:
            on = prev.end
        else:
            continue
        key = (line.unit_id, line.kind, on)
        parts[key] = parts.get(key, ZERO) + line.points
    return [LedgerLine(u, k, on, p) for (u, k, on), p in parts.items()]


def scores(
    lines: Iterable[LedgerLine], units: Iterable[int], period: Period
) -> dict[int, dict[str, Decimal]]:
    """Points per unit and rule in the period; every unit listed appears, with no rule if it has none."""
    out: dict[int, dict[str, Decimal]] = {u: {} for u in units}
    for line in lines:
        if line.unit_id in out and counts_in(line, period):
            by = out[line.unit_id]
            by[line.kind] = by.get(line.kind, ZERO) + line.points
    return out


def competition_ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """1, 2, 2, 4: a unit's rank is one more than the number of units with a strictly higher score."""
    ordered = sorted(values.values(), reverse=True)
    first_at: dict[Decimal, int] = {}
    for i, v in enumerate(ordered):
        first_at.setdefault(v, i + 1)
    return {u: first_at[v] for u, v in values.items()}


def rank_group(
    lines: list[LedgerLine],
    units: Iterable[int],
    period: Period,
    margin: Decimal = ZERO,
) -> list[Row]:
    """One group's table for the period, best first (ties in unit order), with the change since the previous
    period of the same length when there is one."""
    units = list(units)
    by_unit = scores(lines, units, period)
    rows = {u: Row(u, sum(by.values(), ZERO), by_kind=by) for u, by in by_unit.items()}
    ranks = competition_ranks({u: r.score for u, r in rows.items()})
    for u, r in rows.items():
        r.rank = ranks[u]
    position = {u: i for i, u in enumerate(units)}
    ordered = sorted(rows.values(), key=lambda r: (r.rank, position[r.unit_id]))
    if margin > 0:
        # best first means scores descending: the units level with r are one window around it, found by halving
        # (a province's 10,000 units compared each with each took most of the cockpit's 40 s)
        descending = [-r.score for r in ordered]
        for r in ordered:
            lo = bisect.bisect_left(descending, -(r.score + margin))
            hi = bisect.bisect_right(descending, -(r.score - margin))
            r.window = (ordered, lo, hi)
    prev = period.previous()
    if prev is not None:
        before = scores(lines, units, prev)
        prev_scores = {u: sum(by.values(), ZERO) for u, by in before.items()}
        prev_ranks = competition_ranks(prev_scores)
        for r in ordered:
            r.previous_score, r.previous_rank = prev_scores[r.unit_id], prev_ranks[r.unit_id]
    return ordered


def rank_groups(
    lines: list[LedgerLine],
    groups: list[tuple[str, list[int]]],
    period: Period,
    margin: Decimal = ZERO,
) -> list[tuple[str, list[Row]]]:
    by_unit: dict[int, list[LedgerLine]] = defaultdict(list)
    for line in lines:
        by_unit[line.unit_id].append(line)
    out = []
    for name, units in groups:
        mine = [line for u in units for line in by_unit.get(u, [])]
        out.append((name, rank_group(mine, units, period, margin)))
    return out
