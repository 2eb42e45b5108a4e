"""The rankings read the ledger summed by the database (`tables.summed_lines`): the same lines as the pure
`ranking.summed` of every ledger line, so every period's table is the one the whole ledger gives."""

import datetime
import random
from decimal import Decimal

from tongtui.assessment.models import ScoreEntry
from tongtui.assessment.ranking import parse_period, periods_of_year, rank_group, summed
from tongtui.assessment.rules_data import RuleKind
from tongtui.assessment.tables import lines, rankings, summed_lines

KINDS = [RuleKind.TASK, RuleKind.TASK, *(k for k in RuleKind if k != RuleKind.TASK)]


def ledger(cast, n: int = 400, seed: int = 13) -> list[int]:
    rng = random.Random(seed)
    units = [cast.unit_a.pk, cast.unit_b.pk, cast.unit_c.pk]
    jan1 = datetime.date(2026, 1, 1)
    ScoreEntry.objects.bulk_create(
        [ScoreEntry(plan=cast.plan, unit_id=rng.choice(units), kind=rng.choice(KINDS), key=f"k{i}",
                    on=jan1 + datetime.timedelta(days=rng.randrange(365)),
                    points=Decimal(rng.randrange(-500, 500)) / 100, nominal=Decimal(0))
         for i in range(n)]
    )  # fmt: skip
    return units


def key(line):
    return (line.unit_id, str(line.kind), line.on)


def test_the_database_sums_what_the_pure_function_sums_for_every_period(cast):
    units = ledger(cast)
    whole = lines(cast.plan)
    assert len(whole) == 400
    for period in periods_of_year(2026):
        got = sorted(summed_lines(cast.plan, period), key=key)
        want = sorted(summed(whole, period), key=key)
        assert [(key(g), g.points) for g in got] == [(key(w), w.points) for w in want], period.key
        assert len(got) < len(whole)
        ranked = rank_group(got, units, period, Decimal("0.5"))
        assert [(r.unit_id, r.score, r.rank, r.previous_rank) for r in ranked] == [
            (r.unit_id, r.score, r.rank, r.previous_rank) for r in rank_group(whole, units, period, Decimal("0.5"))
        ]


def test_as_of_leaves_out_the_lines_dated_after_it(cast):
    ledger(cast)
    as_of = datetime.date(2026, 5, 10)
    period = parse_period("2026-Q2")
    got = sorted(summed_lines(cast.plan, period, as_of), key=key)
    want = sorted(summed(lines(cast.plan, as_of), period), key=key)
    assert [(key(g), g.points) for g in got] == [(key(w), w.points) for w in want]
    assert got != sorted(summed_lines(cast.plan, period), key=key)


def test_the_ranking_tables_come_from_the_sums(cast, django_assert_max_num_queries):
    ledger(cast)
    with django_assert_max_num_queries(8):  # the scheme, its groups, the summed ledger, the units
        tables, units = rankings(cast.plan, parse_period("2026-Q3"))
    assert sum(len(t.rows) for t in tables) >= 3 and set(units) >= {cast.unit_a.pk, cast.unit_c.pk}
