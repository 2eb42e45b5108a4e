"""The integrity simulator runs small and finds what it planted."""

import importlib.util
import sys
from pathlib import Path

from tongtui.supervision.signals.flags import FlagKind

PATH = Path(__file__).resolve().parents[2] / "bench" / "integrity_sim.py"


def load():
    spec = importlib.util.spec_from_file_location("integrity_sim", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["integrity_sim"] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_district_year_plants_every_kind_and_the_signals_find_most():
    sim = load()
    world = sim.generate(units=20, tasks=160, seed=7, rate=0.06)
    planted = {k for k, _ in world.truth}
    assert planted == set(FlagKind) - sim.AT_SUBMISSION
    scores = sim.score(world, sim.run_signals(world))
    for kind, s in scores.items():
        if kind in sim.AT_SUBMISSION:
            continue
        assert s.planted > 0, kind
        assert s.recall is not None and s.recall >= 0.3, (kind, s)
        assert s.precision is not None and s.precision >= 0.3, (kind, s)


def test_the_same_seed_gives_the_same_year():
    sim = load()
    a, b = sim.generate(10, 40, seed=3), sim.generate(10, 40, seed=3)
    assert a.truth == b.truth
    assert [r.text for r in a.reports()] == [r.text for r in b.reports()]


def test_honest_short_wording_repeated_everywhere_is_never_flagged():
    sim = load()
    world = sim.generate(units=20, tasks=160, seed=7, rate=0.06)
    short = {r.report_id for r in world.reports() if r.text in sim.SHORT}
    assert short
    flagged = {f.report_id for f in sim.run_signals(world) if f.kind.value.startswith("text_")}
    assert not short & flagged


def test_the_table_has_a_row_per_kind():
    sim = load()
    world = sim.generate(10, 40, seed=3)
    text = sim.table(sim.score(world, sim.run_signals(world)))
    assert all(f"`{k.value}`" in text for k in FlagKind)
