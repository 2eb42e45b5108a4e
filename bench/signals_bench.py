"""Every figure of the signals' section of docs/benchmarks.md, from one command, per seed.

    .venv/bin/python bench/signals_bench.py --seeds 1 2 3 [--tasks 150 --units 40] [--big 2000] [--lead 14]

1. Early warning on a simulated district year (`district_sim.py`, the size of the issue's: 150 tasks) and on a
   district's whole year (2,000 tasks, 200 units): 14 days before each milestone's due date, using only what
   was known then, which milestones does each rule warn of? Recall (of the milestones that slip) and the share
   of warnings that were false, for the early warning at several thresholds of expected slip, the plain rule
   (earned schedule on the latest report) at several thresholds, and the task's light (yellow or red) before
   and after the early warning joined the lights.
2. Copy detection on the district's whole year: retouched copies of the unit's own earlier report and of
   another unit's report of the same or an earlier period, planted in 1 % of tasks per kind; precision,
   recall and false flags per kind, and the time the text check takes.
3. The other integrity checks at the same 1 % prevalence (`integrity_sim.py`, 2,000 tasks): precision,
   recall and false flags per kind.
"""

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import district_sim  # noqa: E402
import integrity_sim  # noqa: E402

from tongtui.supervision.signals.facts import TaskFacts  # noqa: E402
from tongtui.supervision.signals.flags import FlagKind  # noqa: E402
from tongtui.supervision.signals.lights import DEFAULT_RULES, Light, evaluate_light  # noqa: E402
from tongtui.supervision.signals.textsim import near_duplicate_flags  # noqa: E402
from tongtui.supervision.signals.warning import (  # noqa: E402
    DEFAULT_WARNING_RULES,
    UnitRecord,
    milestone_risks,
    plain_slip,
)

WARNING_THRESHOLDS = (-7.0, 0.0, 7.0, 14.0)
PLAIN_THRESHOLDS = (0.0, 7.0, 14.0, 30.0)
PLAIN_RULES = replace(DEFAULT_RULES, early_warning=False)


@dataclass(frozen=True)
class Case:
    """One milestone, seen `lead` days before its due date."""

    slipped: bool
    facts: TaskFacts | None  # None: already verified done by then (nothing to warn of)
    as_of: date
    record: UnitRecord | None
    milestone_id: int


def cases(year: district_sim.Year, lead: int = 14) -> list[Case]:
    """Every milestone of tasks assigned by `lead` days before its due date, with what was known then."""
    groups: dict[date, list[tuple[district_sim.SimTask, district_sim.SimMilestone]]] = defaultdict(list)
    for t in year.tasks:
        for m in t.milestones:
            as_of = m.fact.due - timedelta(days=lead)
            if t.assigned <= as_of:
                groups[as_of].append((t, m))
    out = []
    from tongtui.supervision.signals.warning import unit_records

    for as_of, items in sorted(groups.items()):
        known = {t.task_id: year.facts(t, as_of) for t in year.tasks if t.assigned <= as_of}
        records = unit_records(known.values(), as_of)
        for t, m in items:
            facts = known[t.task_id]
            mid = m.fact.milestone_id or 0
            done = any(x.milestone_id == mid and x.done_on is not None for x in facts.milestones)
            out.append(Case(m.slipped, None if done else facts, as_of, records.get(t.unit.unit_id), mid))
    return out


@dataclass
class Tally:
    slipped: int = 0
    warned: int = 0
    hits: int = 0

    @property
    def recall(self) -> float:
        return self.hits / self.slipped if self.slipped else 0.0

    @property
    def false_share(self) -> float:
        return (self.warned - self.hits) / self.warned if self.warned else 0.0


def tally(items: list[Case], warns: Callable[[Case], bool]) -> Tally:
    t = Tally()
    for c in items:
        w = c.facts is not None and warns(c)
        t.slipped += c.slipped
        t.warned += w
        t.hits += w and c.slipped
    return t


def _risk(c: Case) -> float | None:
    assert c.facts is not None
    for r in milestone_risks(c.facts, c.as_of, DEFAULT_WARNING_RULES, record=c.record):
        if r.milestone.milestone_id == c.milestone_id:
            return r.expected_slip
    return None


def _plain(c: Case) -> float | None:
    assert c.facts is not None
    m = next(m for m in c.facts.milestones if m.milestone_id == c.milestone_id)
    return plain_slip(c.facts, m, c.as_of)


def _light(c: Case, rules=DEFAULT_RULES) -> bool:
    assert c.facts is not None
    return evaluate_light(c.facts, c.as_of, rules, record=c.record).light in (Light.YELLOW, Light.RED)


def _above(scores: dict[int, float | None], threshold: float) -> Callable[[Case], bool]:
    return lambda c: (scores[id(c)] or -1e9) > threshold


def warning_rows(items: list[Case]) -> list[tuple[str, Tally]]:
    risk = {id(c): _risk(c) for c in items if c.facts is not None}
    plain = {id(c): _plain(c) for c in items if c.facts is not None}
    rows = []
    for th in WARNING_THRESHOLDS:
        mark = " (default)" if th == DEFAULT_WARNING_RULES.warn_after_days else ""
        rows.append((f"early warning, expected slip > {th:g} days{mark}", tally(items, _above(risk, th))))
    for th in PLAIN_THRESHOLDS:
        rows.append((f"plain rule, forecast slip > {th:g} days", tally(items, _above(plain, th))))
    before = tally(items, lambda c: _light(c, PLAIN_RULES))
    rows.append(("light yellow or red, before (plain lights)", before))
    rows.append(("light yellow or red, with the early warning", tally(items, _light)))
    return rows


def pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f} %"


def warning_table(per_seed: dict[int, list[tuple[str, Tally]]]) -> str:
    seeds = list(per_seed)
    head = "| rule | " + " | ".join(f"seed {s}: recall / false" for s in seeds) + " |"
    lines = [head, "|---|" + "---:|" * len(seeds)]
    for i, (name, _) in enumerate(next(iter(per_seed.values()))):
        cells = [per_seed[s][i][1] for s in seeds]
        lines.append(
            f"| {name} | " + " | ".join(f"{pct(t.recall, 1)} / {pct(t.false_share, 1)}" for t in cells) + " |"
        )
    return "\n".join(lines)


def early_warning(seeds: list[int], tasks: int, units: int, lead: int) -> None:
    per_seed = {}
    for seed in seeds:
        year = district_sim.generate(seed, tasks, units)
        items = cases(year, lead)
        judged = [c for c in items if c.facts is not None]
        print(f"- {district_sim.describe(year)}")
        print(
            f"  {len(items)} milestones seen {lead} days before their due date ({len(items) - len(judged)} already "
            f"verified done), {sum(c.slipped for c in items)} of them slip"
        )
        per_seed[seed] = warning_rows(items)
    print()
    print(warning_table(per_seed))


def copies(seeds: list[int], tasks: int, units: int, rate: float) -> None:
    lines = [
        "| seed | reports | copies planted (own / other) | own: precision / recall | other unit: precision / recall "
        "| false flags (own / other) | text check: CPU (wall) |",
        "|---:|---:|---|---:|---:|---|---:|",
    ]
    for seed in seeds:
        year = district_sim.generate(seed, tasks, units, copy_rate=rate)
        reports = year.reports()
        end = max(r.known_on for r in reports)
        t0, c0 = time.perf_counter(), time.process_time()
        flags = near_duplicate_flags(reports, end)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        cells = []
        false = []
        for kind, label in ((FlagKind.TEXT_REPEATS_OWN, "own"), (FlagKind.TEXT_MATCHES_OTHER_UNIT, "other")):
            planted = {rid for rid, c in year.copies.items() if c.kind == label}
            flagged = {f.report_id for f in flags if f.kind == kind}
            hits = planted & flagged
            precision = len(hits) / len(flagged) if flagged else 1.0
            recall = len(hits) / len(planted) if planted else 1.0
            cells.append(f"{pct(precision)} / {pct(recall)}")
            false.append(str(len(flagged - planted)))
        n_own = sum(c.kind == "own" for c in year.copies.values())
        lines.append(
            f"| {seed} | {len(reports):,} | {n_own} / {len(year.copies) - n_own} | {cells[0]} | {cells[1]} "
            f"| {' / '.join(false)} | {cpu:.1f} s ({took:.1f} s) |"
        )
    print("\n".join(lines))


def integrity(seeds: list[int], tasks: int, units: int, rate: float) -> None:
    per_kind: dict[FlagKind, list[str]] = defaultdict(list)
    for seed in seeds:
        world = integrity_sim.generate(units, tasks, seed, rate)
        scores = integrity_sim.score(world, integrity_sim.run_signals(world))
        for kind, s in scores.items():
            per_kind[kind].append(
                f"{s.planted} / {pct(s.precision or 0)} / {pct(s.recall or 0)} / {s.flagged - s.hits}"
            )
    lines = [
        "| kind | " + " | ".join(f"seed {s}: planted / precision / recall / false" for s in seeds) + " |",
        "|---|" + "---:|" * len(seeds),
    ]
    for kind, cells in per_kind.items():
        lines.append(f"| `{kind.value}` | " + " | ".join(cells) + " |")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--tasks", type=int, default=150)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--big", type=int, default=2000, help="tasks in the whole district year (0 to skip)")
    parser.add_argument("--lead", type=int, default=14)
    parser.add_argument(
        "--rate", type=float, default=0.01, help="share of tasks with a planted copy, per kind"
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    print(f"## Early warning, {args.tasks} tasks, {args.lead} days before each milestone\n")
    early_warning(args.seeds, args.tasks, args.units, args.lead)
    if args.big:
        big_units = max(1, args.big // 10)
        print(f"\n## Early warning, {args.big} tasks and {big_units} units, {args.lead} days before\n")
        early_warning(args.seeds, args.big, big_units, args.lead)
        print(f"\n## Copy detection, {args.big} tasks, {pct(args.rate)} of tasks per kind\n")
        copies(args.seeds, args.big, big_units, args.rate)
        print(
            f"\n## Other integrity checks (integrity_sim.py), {args.big} tasks, {pct(args.rate)} per kind\n"
        )
        integrity(args.seeds, args.big, big_units, args.rate)
    print(f"\n(all of the above in {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
