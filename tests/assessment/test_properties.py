"""Property-based tests of the pure scoring and ranking (no database)."""

import datetime
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tongtui.assessment.ranking import (
    LEVEL_SHOWN,
    LedgerLine,
    competition_ranks,
    parse_period,
    rank_group,
    summed,
)
from tongtui.assessment.rules_data import BONUSES, DEDUCTIONS, DEFAULT, RuleKind
from tongtui.assessment.scoring import Event, Facts, TaskFact, compute_ledger, totals

UNITS = [1, 2, 3, 4, 5]
YEAR = datetime.date(2026, 1, 1)
AS_OF = datetime.date(2026, 12, 31)
KINDS = sorted(DEDUCTIONS | BONUSES | {RuleKind.ADJUSTMENT})

days = st.integers(0, 364).map(lambda d: YEAR + datetime.timedelta(days=d))
money = st.decimals(min_value=Decimal("0"), max_value=Decimal("20"), places=2)
tasks_st = st.lists(
    st.builds(
        lambda i, lead, co, w, start: TaskFact(i, str(i), f"task {i}", lead, tuple(co), w, start),
        st.just(0), st.sampled_from(UNITS), st.lists(st.sampled_from(UNITS), max_size=3, unique=True),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("3"), places=2), days,
    ),
    max_size=8,
).map(lambda ts: {i + 1: TaskFact(i + 1, t.code, t.title, t.lead_unit_id, t.co_unit_ids, t.weight, t.start)
                  for i, t in enumerate(ts)})  # fmt: skip


@st.composite
def facts_st(draw: st.DrawFn) -> Facts:
    tasks = draw(tasks_st)
    events = []
    for i in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(KINDS))
        task_id = draw(st.sampled_from([None, *tasks])) if tasks else None
        unit = draw(st.sampled_from(UNITS)) if (task_id is None or draw(st.booleans())) else None
        pts = draw(st.decimals(min_value=Decimal("-10"), max_value=Decimal("10"), places=2)) \
            if kind == RuleKind.ADJUSTMENT else draw(st.none() | money)  # fmt: skip
        qty = Decimal(draw(st.integers(1, 6)))
        events.append(Event(kind, f"x{i}", draw(days), task_id, unit, None, "", qty, pts))
    return Facts(AS_OF, tasks, tuple(events))


@st.composite
def scheme_st(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    s = DEFAULT
    for kind in list(s.rules):
        s = s.with_rule(kind, points=draw(money), cap=draw(st.none() | money))
    from dataclasses import replace

    return replace(s, unit_deduction_cap=draw(st.none() | money), unit_bonus_cap=draw(st.none() | money),
                   co_unit_factor=draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)])))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(facts_st(), scheme_st())
def test_recomputing_gives_the_same_ledger(facts, scheme):
    assert compute_ledger(facts, scheme) == compute_ledger(facts, scheme)
    shuffled = list(facts.events)
    random.Random(7).shuffle(shuffled)
    again = compute_ledger(Facts(facts.as_of, facts.tasks, tuple(shuffled)), scheme)
    assert sorted(again, key=lambda e: (e.unit_id, e.kind, e.key)) == \
        sorted(compute_ledger(facts, scheme), key=lambda e: (e.unit_id, e.kind, e.key))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(facts_st(), scheme_st(), st.data())
def test_a_deduction_never_raises_a_score(facts, scheme, data):
    before = totals(compute_ledger(facts, scheme))
    unit = data.draw(st.sampled_from(UNITS))
    kind = data.draw(st.sampled_from(sorted(DEDUCTIONS)))
    extra = Event(kind, "new", data.draw(days), None, unit, None, "", Decimal(data.draw(st.integers(1, 5))))
    after = totals(compute_ledger(Facts(facts.as_of, facts.tasks, (*facts.events, extra)), scheme))
    for u in UNITS:
        assert after.get(u, 0) <= before.get(u, 0)
    entries = compute_ledger(facts, scheme)
    assert all(e.points <= 0 for e in entries if e.kind in DEDUCTIONS)
    assert all(e.points >= 0 for e in entries if e.kind in BONUSES)


@settings(max_examples=150, deadline=None)
@given(facts_st(), scheme_st())
def test_caps_hold(facts, scheme):
    entries = compute_ledger(facts, scheme)
    for u in UNITS:
        mine = [e for e in entries if e.unit_id == u]
        for kind, rule in scheme.rules.items():
            if rule.cap is not None and kind != RuleKind.TASK:
                assert (
                    sum(-e.points if e.points < 0 else e.points for e in mine if e.kind == kind) <= rule.cap
                )
        if scheme.unit_deduction_cap is not None:
            assert -sum(e.points for e in mine if e.kind in DEDUCTIONS) <= scheme.unit_deduction_cap
        if scheme.unit_bonus_cap is not None:
            assert sum(e.points for e in mine if e.kind in BONUSES) <= scheme.unit_bonus_cap
    for e in entries:
        assert abs(e.points) <= abs(e.nominal)


lines_st = st.lists(
    st.builds(
        LedgerLine,
        st.sampled_from(UNITS),
        st.sampled_from(sorted(DEDUCTIONS | BONUSES | {RuleKind.TASK})),
        days,
        st.decimals(min_value=Decimal("-5"), max_value=Decimal("5"), places=1),
    ),  # fmt: skip
    max_size=40,
)
periods = st.sampled_from(["2026", "2026-H1", "2026-H2", "2026-Q2", "2026-Q3", "2026-06", "2026-01"]).map(
    parse_period
)


@settings(max_examples=200, deadline=None)
@given(lines_st, periods)
def test_the_ranking_is_a_pure_function_of_the_ledger(lines, period):
    a = rank_group(lines, UNITS, period, Decimal("0.5"))
    shuffled = list(lines)
    random.Random(3).shuffle(shuffled)
    b = rank_group(shuffled, UNITS, period, Decimal("0.5"))
    assert [(r.unit_id, r.score, r.rank, r.by_kind, r.level_with, r.previous_rank) for r in a] == \
        [(r.unit_id, r.score, r.rank, r.by_kind, r.level_with, r.previous_rank) for r in b]  # fmt: skip
    for r in a:
        assert r.score == sum(r.by_kind.values(), Decimal(0))


def shown(rows):
    return [(r.unit_id, r.score, r.rank, r.by_kind, r.level_with, r.previous_score, r.previous_rank) for r in rows]


@settings(max_examples=300, deadline=None)
@given(lines_st, periods | st.sampled_from(["2026-Q1", "2026-Q4", "2026-12"]).map(
    parse_period))  # fmt: skip
def test_ranking_the_summed_ledger_gives_the_same_rows(lines, period):
    whole = rank_group(lines, UNITS, period, Decimal("0.5"))
    few = summed(lines, period)
    assert shown(rank_group(few, UNITS, period, Decimal("0.5"))) == shown(whole)
    assert len(few) <= len(lines)


@settings(max_examples=200, deadline=None)
@given(lines_st, periods, st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.5"), Decimal("2"), Decimal("100")]))
def test_the_tooltips_count_and_first_names_are_those_of_the_whole_list(lines, period, margin):
    for r in rank_group(lines, UNITS, period, margin):
        assert r.level_count == len(r.level_with)
        assert r.level_some == r.level_with[:LEVEL_SHOWN]
        assert r.level is (r.level_count > 0)


@settings(max_examples=200, deadline=None)
@given(lines_st, periods, st.sampled_from([Decimal("0.1"), Decimal("0.5"), Decimal("2"), Decimal("100")]))
def test_level_with_is_every_other_score_within_the_margin_best_first(lines, period, margin):
    rows = rank_group(lines, UNITS, period, margin)
    for r in rows:
        assert r.level_with == [o.unit_id for o in rows if o.score != r.score and abs(o.score - r.score) <= margin]
        assert r.level == bool(r.level_with)  # what the cockpit and the files read, without listing the window


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 30), st.decimals(min_value=-3, max_value=3, places=0), min_size=1))
def test_ties_share_ranks_and_the_next_rank_skips(values):
    ranks = competition_ranks(values)
    for u, v in values.items():
        assert ranks[u] == 1 + sum(1 for w in values.values() if w > v)
        assert all(ranks[o] == ranks[u] for o, w in values.items() if w == v)


def test_offices_write_ties_as_1_2_2_4():
    ranks = competition_ranks({1: Decimal(90), 2: Decimal(80), 3: Decimal(80), 4: Decimal(70)})
    assert [ranks[u] for u in (1, 2, 3, 4)] == [1, 2, 2, 4]


def test_units_within_the_margin_are_level():
    lines = [LedgerLine(1, RuleKind.TASK, YEAR, Decimal("10.0")), LedgerLine(2, RuleKind.TASK, YEAR, Decimal("9.6")),
             LedgerLine(3, RuleKind.TASK, YEAR, Decimal("8"))]  # fmt: skip
    rows = {r.unit_id: r for r in rank_group(lines, [1, 2, 3], parse_period("2026"), Decimal("0.5"))}
    assert rows[1].level_with == [2] and rows[2].level_with == [1] and rows[3].level_with == []
    assert [rows[u].rank for u in (1, 2, 3)] == [1, 2, 3]


def test_a_quarter_counts_its_own_events_and_the_standing_task_points():
    lines = [LedgerLine(1, RuleKind.TASK, YEAR, Decimal(10)),
             LedgerLine(1, RuleKind.LATE_REPORT, datetime.date(2026, 2, 3), Decimal(-1)),
             LedgerLine(1, RuleKind.ADMONITION, datetime.date(2026, 5, 3), Decimal(-2))]  # fmt: skip
    (q2,) = rank_group(lines, [1], parse_period("2026-Q2"))
    assert q2.score == 8 and q2.previous_score == 9 and q2.change == -1
    (year,) = rank_group(lines, [1], parse_period("2026"))
    assert year.score == 7 and year.previous_score is None


def test_caps_clip_in_date_order_and_keep_the_fact():
    from tongtui.assessment.rules_data import RuleData, SchemeData

    scheme = SchemeData(
        rules={RuleKind.ADMONITION: RuleData(RuleKind.ADMONITION, Decimal(2), cap=Decimal(3))}
    )
    evs = tuple(Event(RuleKind.ADMONITION, f"a{i}", YEAR + datetime.timedelta(days=i), None, 1, None, "")
                for i in range(3))  # fmt: skip
    entries = compute_ledger(Facts(AS_OF, {}, evs), scheme)
    assert [e.points for e in entries] == [Decimal(-2), Decimal(-1), Decimal(0)]
    assert [e.capped for e in entries] == [False, True, True]


def test_periods_parse():
    p = parse_period("2026-Q2")
    assert (p.start, p.end) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert parse_period("2026-H2").previous().key == "2026-H1"  # type: ignore[union-attr]
    assert parse_period("2026-01").previous() is None
    assert parse_period("2026-03").previous().key == "2026-02"  # type: ignore[union-attr]


def test_a_long_level_list_is_named_five_at_a_time_and_counted_whole():
    units = list(range(1, 13))
    # scores 1.0, 1.1, …, 2.1 (two units tied at 1.5): all within a margin of 2 of each other
    points = {u: Decimal("1.0") + Decimal("0.1") * (u - 1) for u in units}
    points[7] = points[6]
    lines = [LedgerLine(u, RuleKind.TASK, datetime.date(2026, 1, 5), p) for u, p in points.items()]
    rows = {r.unit_id: r for r in rank_group(lines, units, parse_period("2026"), Decimal("2"))}
    six = rows[6]
    assert six.level_count == 10  # every unit but itself and 7, which has the same score
    assert six.level_some == [12, 11, 10, 9, 8]  # best first, the tie left out
    assert six.level_with[:5] == six.level_some and len(six.level_with) == 10
