"""Micro-benchmark: lights and forecasts for 50,000 synthetic tasks, in pure Python.

    .venv/bin/python bench/signals_pure.py [--tasks 50000] [--texts 50000] [--seed 1]

Prints the time to build the inputs and to evaluate every task's light (which includes its
trajectory and earned-schedule forecast), on a calendar axis and on a working-day axis; then the
per-task integrity checks over the same tasks, evidence reuse over all their reports, and
near-duplicate search over `--texts` synthetic report texts (0 to skip).
The database side (set-based queries filling TaskFacts) is measured elsewhere.
"""

import argparse
import random
import sys
import time
import tracemalloc
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tongtui.supervision.signals.days import CALENDAR, TimeAxis, WorkdayAxis  # noqa: E402
from tongtui.supervision.signals.facts import (  # noqa: E402
    CycleFact,
    EscalationFact,
    MilestoneFact,
    ReportFact,
    TaskFacts,
)
from tongtui.supervision.signals.integrity import evidence_reuse_flags, task_flags  # noqa: E402
from tongtui.supervision.signals.lights import evaluate_light  # noqa: E402
from tongtui.supervision.signals.textsim import near_duplicate_flags  # noqa: E402

AS_OF = date(2026, 9, 15)
YEAR_START = date(2026, 1, 1)
STATUSES = (
    ["in_progress"] * 85
    + ["acknowledged"] * 5
    + ["closed"] * 6
    + ["draft", "suspended", "cancelled", "assigned"]
)


def synthetic_tasks(n: int, rng: random.Random) -> list[TaskFacts]:
    cycles = tuple(
        CycleFact(date(2026, m + 1, 1) - timedelta(days=1), date(2026, m + 1, 5)) for m in range(1, 11)
    )
    tasks = []
    for i in range(n):
        start = YEAR_START + timedelta(days=rng.randrange(0, 120))
        due = start + timedelta(days=rng.randrange(90, 360))
        span = (due - start).days
        k = rng.choice([0, 2, 3, 4, 5, 6, 8])
        cuts = sorted(rng.sample(range(1, span + 1), k)) if k else []
        milestones = tuple(
            MilestoneFact(
                due=start + timedelta(days=c),
                planned_progress=round(100 * (j + 1) / k, 1),
                done_on=start + timedelta(days=c + rng.randrange(-10, 20)) if rng.random() < 0.6 else None,
            )
            for j, c in enumerate(cuts)
        )
        pace = rng.uniform(0.5, 1.4)
        reports: list[ReportFact] = []
        progress = 0.0
        month_end = date(2026, 2, 1) - timedelta(days=1)
        while month_end < AS_OF:
            if month_end > start and rng.random() < 0.9:
                elapsed = (month_end - start).days
                progress = min(100.0, max(progress + rng.uniform(-2, 3), 100 * pace * elapsed / span))
                reports.append(
                    ReportFact(
                        period_end=month_end,
                        progress=round(progress, 1),
                        submitted_at=month_end + timedelta(days=rng.randrange(1, 8)),
                        evidence_hashes=(f"{rng.getrandbits(64):016x}",) if rng.random() < 0.5 else (),
                        report_id=i * 100 + len(reports),
                        task_id=i,
                        unit_id=i % 2000,
                    )
                )
            month_end = (month_end + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        escalations = tuple(
            EscalationFact(
                AS_OF - timedelta(days=rng.randrange(1, 60)), None if rng.random() < 0.5 else AS_OF
            )
            for _ in range(rng.choice([0, 0, 0, 1, 2]))
        )
        tasks.append(
            TaskFacts(
                task_id=i,
                status=rng.choice(STATUSES),
                start=start if rng.random() > 0.05 else None,
                due=due,
                milestones=milestones,
                reports=tuple(reports),
                escalations=escalations,
                cycles=cycles,
                closed_on=AS_OF - timedelta(days=3),
                default_start=YEAR_START,
            )
        )
    return tasks


HAN = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))
STOCK = [
    "按计划推进,无问题。",
    "深入贯彻落实区委区政府决策部署,高位推动,压实责任,强化调度,确保各项工作按时序推进。",
    "下一步将继续加强统筹协调,加快推进项目建设。",
]


def synthetic_texts(n: int, rng: random.Random) -> list[ReportFact]:
    """Report texts: stock phrases plus sentences of their own; every 50th copies an earlier report."""
    reports: list[ReportFact] = []
    for i in range(n):
        unit = rng.randrange(2000)
        month = rng.randrange(1, 12)
        if i % 50 == 49:
            text = reports[rng.randrange(i)].text  # a planted copy
        else:
            own = "".join(rng.choice(HAN) for _ in range(rng.randrange(20, 120)))
            text = rng.choice(STOCK) + own + f"完成投资{rng.randrange(10, 9999)}万元。" + rng.choice(STOCK)
        end = date(2026, month + 1, 1) - timedelta(days=1)
        reports.append(
            ReportFact(end, 50.0, end + timedelta(days=3), text=text, report_id=i, unit_id=unit, task_id=i)
        )
    return reports


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    tasks = synthetic_tasks(args.tasks, random.Random(args.seed))
    t1 = time.perf_counter()
    milestones = sum(len(t.milestones) for t in tasks)
    reports = sum(len(t.reports) for t in tasks)
    print(f"built {len(tasks)} tasks, {milestones} milestones, {reports} reports in {t1 - t0:.2f} s")

    axis = WorkdayAxis(lambda d: d.weekday() < 5, date(2025, 1, 1), date(2028, 12, 31))
    axes: list[tuple[str, TimeAxis]] = [("calendar days", CALENDAR), ("working days", axis)]
    for name, ax in axes:
        t0, c0 = time.perf_counter(), time.process_time()
        results = [evaluate_light(t, AS_OF, axis=ax) for t in tasks]
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        del results
        tracemalloc.start()  # a second pass only to measure memory: tracemalloc slows Python down
        results = [evaluate_light(t, AS_OF, axis=ax) for t in tasks]
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lights = Counter(r.light.value for r in results)
        forecasts = sum(1 for r in results if r.forecast is not None and r.forecast.finish is not None)
        print(
            f"{name:>13}: {elapsed:.2f} s ({cpu:.2f} s CPU) for {len(results)} lights "
            f"({1e6 * cpu / len(results):.0f} µs CPU each, "
            f"{forecasts} forecasts, results peak {peak / 2**20:.0f} MiB) {dict(sorted(lights.items()))}"
        )
        del results

    t0 = time.perf_counter()
    flags = [f for t in tasks for f in task_flags(t, AS_OF)]
    t1 = time.perf_counter()
    reuse = evidence_reuse_flags((r for t in tasks for r in t.reports), AS_OF)
    t2 = time.perf_counter()
    print(
        f"integrity per task: {t1 - t0:.2f} s, {len(flags)} flags {dict(Counter(f.kind.value for f in flags))}"
    )
    print(f"evidence reuse over {reports} reports: {t2 - t1:.2f} s, {len(reuse)} flags")

    if args.texts:
        texts = synthetic_texts(args.texts, random.Random(args.seed))
        t0, c0 = time.perf_counter(), time.process_time()
        dups = near_duplicate_flags(texts, AS_OF)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"near-duplicate texts over {len(texts)} reports: {elapsed:.2f} s ({cpu:.2f} s CPU), {len(dups)} flags"
        )


if __name__ == "__main__":
    main()
