"""The simulated district year (bench/district_sim.py): what it plants, what it hides, and the headline figures of
bench/signals_bench.py on a small year, so that a change that makes the signals worse fails here."""

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tongtui.supervision.signals.flags import FlagKind
from tongtui.supervision.signals.textsim import near_duplicate_flags

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sim():
    return load("district_sim")


@pytest.fixture(scope="module")
def bench():
    return load("signals_bench")


@pytest.fixture(scope="module")
def year(sim):
    return sim.generate(seed=1, tasks=600, units=60, copy_rate=0.05)


def test_the_same_seed_gives_the_same_year(sim):
    a, b = sim.generate(seed=3, tasks=40, units=10), sim.generate(seed=3, tasks=40, units=10)
    assert [r.text for r in a.reports()] == [r.text for r in b.reports()]
    assert [m.slipped for m in a.milestones()] == [m.slipped for m in b.milestones()]
    assert a.copies == b.copies


def test_a_year_has_what_the_issue_describes(year):
    milestones = year.milestones()
    slipped = [m for m in milestones if m.slipped]
    assert 0.33 <= len(slipped) / len(milestones) <= 0.47  # about four in ten slip…
    late = [(m.completed_on or date(2027, 3, 31)) - m.fact.due for m in slipped]
    assert sum(d > timedelta(days=14) for d in late) > len(slipped) / 2  # …many by weeks
    assert any(m.fact.planned_progress is None for m in milestones)
    mid_year = [t for t in year.tasks if t.start is None]
    assert mid_year and all(t.assigned.month in (5, 6) for t in mid_year)
    assert any(u.conceal for u in year.units) and any(u.steps > 1 for u in year.units)
    assert {t.kind for t in year.tasks} == {"steady", "slow", "catch_up", "uneven"}
    assert {c.kind for c in year.copies.values()} == {"own", "other"}
    filed_late = [r for r in year.reports() if r.known_on - r.period_end > timedelta(days=7)]
    assert len(filed_late) > len(year.reports()) / 20


def test_honest_reports_of_a_task_share_its_template_and_words(year):
    task = next(t for t in year.tasks if len(t.reports) > 6 and not t.unit.terse)
    honest = [r.text for r in task.reports if r.report_id not in year.copies]
    first = honest[0]
    assert all(text[:4] == first[:4] for text in honest)  # the unit's template
    assert len(set(honest)) == len(honest)  # yet no two alike


def test_what_the_signals_see_is_only_what_was_known_on_the_day(year):
    task = next(t for t in year.tasks if any(m.verified_on for m in t.milestones))
    m = next(m for m in task.milestones if m.verified_on)
    before = year.facts(task, m.verified_on - timedelta(days=1))
    after = year.facts(task, m.verified_on)
    mid = m.fact.milestone_id
    assert next(x for x in before.milestones if x.milestone_id == mid).done_on is None
    assert next(x for x in after.milestones if x.milestone_id == mid).done_on == m.completed_on
    assert all(r.known_on <= m.verified_on for r in after.reports)
    assert not hasattr(after.milestones[0], "slipped")


def test_the_early_warning_beats_the_plain_rule_near_the_bar(year, bench):
    rows = dict(bench.warning_rows(bench.cases(year)))
    warning = rows["early warning, expected slip > 0 days (default)"]
    plain = rows["plain rule, forecast slip > 0 days"]
    assert warning.recall >= 0.88 and warning.false_share <= 0.11, (warning.recall, warning.false_share)
    assert warning.recall > plain.recall and warning.false_share < plain.false_share


def test_retouched_copies_are_found_on_formulaic_text(year):
    reports = year.reports()
    flags = near_duplicate_flags(reports, max(r.known_on for r in reports))
    for kind, label in ((FlagKind.TEXT_REPEATS_OWN, "own"), (FlagKind.TEXT_MATCHES_OTHER_UNIT, "other")):
        planted = {rid for rid, c in year.copies.items() if c.kind == label}
        flagged = {f.report_id for f in flags if f.kind == kind}
        assert len(flagged & planted) >= 0.9 * len(planted), label
        assert len(flagged & planted) >= 0.95 * len(flagged), label
    assert all(f.figures["passages"] for f in flags)
