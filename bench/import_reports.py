"""Benchmark: `import_reports` of a 20,000-row progress ledger (2,000 tasks × 10 months) on a fresh database.

    .venv/bin/python bench/import_reports.py --db sqlite          # file under bench/out/
    .venv/bin/python bench/import_reports.py --db postgres        # database tongtui_bench_import_reports

Loads 50 units and 2,000 tasks in progress with bench/scale_data.py (shape "import"), writes the ledger as a
wide CSV (编号, 任务名称, one column per month: 1月进展 … 10月进展 — the long form is capped at 10,000
rows by the reader's limits), then times in this process: reading it and
building the preview, the import itself (apply_preview: the reports, their history, the tasks' progress, and
after commit the lights and scores of the touched tasks), and the same ledger again (every row unchanged).
Prints wall time, reports per second and the SQL query count of each step.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import OUT, fresh_database, setup_django  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--months", type=int, default=10)
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile of the first import"
    )
    args = parser.parse_args()
    sqlite_file = OUT / "import_reports_bench.sqlite3"
    url = f"sqlite:///{sqlite_file}" if args.db == "sqlite" else f"{SERVER}/tongtui_bench_import_reports"
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'tongtui_bench_import_reports'"
            ).fetchone():
                conn.execute("CREATE DATABASE tongtui_bench_import_reports")
    setup_django(url)
    fresh_database(url, sqlite_file)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from scale_data import generate

    from tongtui.dispatch.importing.write import apply_preview, read_preview
    from tongtui.plans.models import Plan, Task

    generate("import", seed=1, log=lambda *a: None)
    plan = Plan.objects.get(year=2026)
    office = get_user_model().objects.get(username="office")
    months = range(1, args.months + 1)
    lines = [",".join(["编号", "任务名称", *(f"{m}月进展" for m in months)])]
    for code, title in Task.objects.order_by("pk").values_list("code", "title"):
        cells = [f'"完成{min(100, 9 * m)}%,第{m}月推进项目建设"' for m in months]
        lines.append(",".join([code, title, *cells]))
    data = "\n".join(lines).encode("utf-8")
    rows = (len(lines) - 1) * len(months)
    out = {"db": connection.vendor, "rows": rows}
    for step in ("first", "again"):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            preview = read_preview("台账.csv", data, plan)
            out[f"{step}_preview_s"] = round(time.perf_counter() - t, 2)
            out[f"{step}_preview_queries"] = len(ctx.captured_queries)
        assert preview.ok, preview.errors[:5]
        with CaptureQueriesContext(connection) as ctx:
            profiler = None
            if args.profile and step == "first":
                from pyinstrument import Profiler

                profiler = Profiler()
                profiler.start()
            t = time.perf_counter()
            result = apply_preview(preview, by=office, filename="台账.csv")
            out[f"{step}_apply_s"] = round(time.perf_counter() - t, 2)
            if profiler is not None:
                profiler.stop()
                print(profiler.output_text(color=False))
            out[f"{step}_apply_queries"] = len(ctx.captured_queries)
        out[f"{step}_result"] = vars(result)
        total = out[f"{step}_preview_s"] + out[f"{step}_apply_s"]
        out[f"{step}_reports_per_s"] = round(rows / total)
    print(json.dumps(out, ensure_ascii=False))  # "rows" counts reports: tasks × months


if __name__ == "__main__":
    main()
