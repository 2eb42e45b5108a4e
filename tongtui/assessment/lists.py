"""Red and black lists (红黑榜) of a group and period, drawn from its ranking: a pure function.

    from tongtui.assessment.lists import red_and_black
    lists = red_and_black(rows, scheme.lists, scheme.level_margin, group="Departments", period="2026-Q2")
    lists.red, lists.black      # (Placed(unit_id, rank, score), ...), best first
    describe(lists)             # how they were drawn, in words, for the page and the bulletin

The rules, so that a list never says more than the scores do (national rules against abusing rankings):

- Places (ListMode.RANK, the default: top 3 and bottom 2 per group). The edge is the score of the last place
  asked for; the list takes **every** unit tied with the edge, and keeps going while the next unit is within
  the level margin of the last one taken. So tied or level units are never split: every unit off a list is
  more than the margin away from every unit on it. A list can therefore be longer than asked for; it is never
  shorter, except as below.
- Thresholds (ListMode.SCORE): red from `red_from` points up, black below `black_below`. A threshold is a bar
  announced in advance, not an order between units, so it is not widened by the margin.
- A unit that would be on both lists (a small group, or scores too close to separate) is on neither: the
  scores do not tell it apart from the others (`on_both`).
- With `black_needs_deduction` (the default) a unit on the black list must have lost points in the period
  (a deduction, or a negative adjustment); a bottom place alone is not misconduct (`spared`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tongtui.assessment.ranking import Row
from tongtui.assessment.rules_data import DEDUCTIONS, ListMode, ListRule, RuleKind

__all__ = ["ListMode", "ListRule", "Placed", "RedBlack", "describe", "lost_points", "red_and_black"]

ZERO = Decimal(0)


@dataclass(frozen=True)
class Placed:
    unit_id: int
    rank: int
    score: Decimal


@dataclass(frozen=True)
class RedBlack:
    """A group's red list (红榜) and black list (黑榜) for a period, and what drew them."""

    group: str
    period: str
    rule: ListRule
    margin: Decimal
    size: int  # units ranked in the group
    red: tuple[Placed, ...] = ()  # best first
    black: tuple[Placed, ...] = ()  # best first, so the last is the lowest
    red_edge: Decimal | None = None  # RANK: the score of the last place asked for; SCORE: the threshold
    black_edge: Decimal | None = None
    on_both: tuple[int, ...] = field(default=())  # would be on both lists, so on neither
    spared: tuple[int, ...] = field(default=())  # bottom places that lost no points: not on the black list

    def place_of(self, unit_id: int) -> str | None:
        """'red', 'black' or None."""
        if any(p.unit_id == unit_id for p in self.red):
            return "red"
        if any(p.unit_id == unit_id for p in self.black):
            return "black"
        return None


def lost_points(row: Row) -> bool:
    """Whether the unit lost points in the period: a deduction or a negative office adjustment."""
    return any(p < 0 and (k in DEDUCTIONS or k == RuleKind.ADJUSTMENT) for k, p in row.by_kind.items())


def _from_top(ordered: Sequence[Row], places: int, margin: Decimal) -> tuple[list[Row], Decimal | None]:
    """The first `places` rows of `ordered`, then every row tied or level with the last one taken."""
    if places <= 0 or not ordered:
        return [], None
    taken = list(ordered[:places])
    edge = taken[-1].score
    # widen past the edge: ties (a difference of 0) and units within the margin of the last one taken
    i = len(taken)
    while i < len(ordered) and abs(ordered[i].score - taken[-1].score) <= margin:
        taken.append(ordered[i])
        i += 1
    return taken, edge


def red_and_black(
    rows: Iterable[Row],
    rule: ListRule,
    margin: Decimal = ZERO,
    *,
    group: str = "",
    period: str = "",
) -> RedBlack:
    """The red and black lists of one group's ranking (ranking.rank_group's rows, in any order)."""
    rows = list(rows)
    order = {r.unit_id: i for i, r in enumerate(rows)}
    best_first = sorted(rows, key=lambda r: (-r.score, order[r.unit_id]))
    red_edge: Decimal | None
    black_edge: Decimal | None
    if rule.mode == ListMode.SCORE:
        red_edge, black_edge = rule.red_from, rule.black_below
        red = [r for r in best_first if red_edge is not None and r.score >= red_edge]
        black = [r for r in best_first if black_edge is not None and r.score < black_edge]
    else:
        red, red_edge = _from_top(best_first, rule.red_places, margin)
        black, black_edge = _from_top(best_first[::-1], rule.black_places, margin)
    both = {r.unit_id for r in red} & {r.unit_id for r in black}
    red = [r for r in red if r.unit_id not in both]
    black = [r for r in black if r.unit_id not in both]
    spared: list[int] = []
    if rule.black_needs_deduction:
        spared = [r.unit_id for r in black if not lost_points(r)]
        black = [r for r in black if lost_points(r)]

    def placed(rs: list[Row]) -> tuple[Placed, ...]:
        return tuple(
            Placed(r.unit_id, r.rank, r.score) for r in sorted(rs, key=lambda r: (-r.score, order[r.unit_id]))
        )

    return RedBlack(
        group=group, period=period, rule=rule, margin=margin, size=len(rows), red=placed(red), black=placed(black),
        red_edge=red_edge, black_edge=black_edge, on_both=tuple(u for u in order if u in both),
        spared=tuple(spared),
    )  # fmt: skip


def describe(lists: RedBlack) -> list[str]:
    """How the lists were drawn, as sentences for the page, the workbook and the bulletin."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    rule, out = lists.rule, []
    m = f"{lists.margin.normalize():f}"
    if rule.mode == ListMode.SCORE:
        if rule.red_from is not None:
            out.append(_("Red list: every unit of the group with at least %(s)s points.")
                       % {"s": f"{rule.red_from.normalize():f}"})  # fmt: skip
        else:
            out.append(_("Red list: none (no threshold set)."))
        if rule.black_below is not None:
            out.append(_("Black list: every unit of the group with fewer than %(s)s points.")
                       % {"s": f"{rule.black_below.normalize():f}"})  # fmt: skip
        else:
            out.append(_("Black list: none (no threshold set)."))
    else:
        out.append(ngettext(
            "Red list: the best %(n)d place of the group; units tied with it or within %(m)s points of the "
            "last unit taken are included too.",
            "Red list: the best %(n)d places of the group; units tied with the last of them or within %(m)s "
            "points of the last unit taken are included too.", rule.red_places) % {"n": rule.red_places, "m": m})  # fmt: skip
        out.append(ngettext(
            "Black list: the last %(n)d place of the group; units tied with it or within %(m)s points of the "
            "last unit taken are included too.",
            "Black list: the last %(n)d places of the group; units tied with the last of them or within %(m)s "
            "points of the last unit taken are included too.", rule.black_places) % {"n": rule.black_places, "m": m})  # fmt: skip
    if rule.black_needs_deduction:
        out.append(_("Only a unit that lost points in the period (a deduction) can be on the black list."))
    if lists.on_both:
        out.append(ngettext(
            "%(n)d unit would have been on both lists: the scores do not set it apart, so it is on neither.",
            "%(n)d units would have been on both lists: the scores do not set them apart, so they are on neither.",
            len(lists.on_both)) % {"n": len(lists.on_both)})  # fmt: skip
    if lists.spared:
        out.append(ngettext(
            "%(n)d unit in the last places lost no points in the period and is not on the black list.",
            "%(n)d units in the last places lost no points in the period and are not on the black list.",
            len(lists.spared)) % {"n": len(lists.spared)})  # fmt: skip
    return out
