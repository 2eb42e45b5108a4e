"""Benchmark: import a generated 3,000-row task book (.xlsx) with `tongtui import_tasks`, on a fresh SQLite file.

    .venv/bin/python bench/import_book.py [--rows 3000] [--seed 1] [--trace]

Builds a district of about 30 units (names, short names and aliases, two unit groups) and its leaders in a
fresh database under bench/out/, writes bench/out/task_book_<rows>.xlsx (title row, header row, units written
several ways, co-units, a collective name now and then, a three-step schedule per task), then times:
  1. `import_tasks --dry-run`  (read the file and build the preview; writes nothing)
  2. `import_tasks`            (the same, then the writes through the actions: the new tasks, co-units and
                                milestones in one bulk write, plans.actions_bulk.create_tasks)
  3. `import_tasks` again      (the same file onto the same tasks: every row unchanged)
each as its own process, reporting wall time, CPU time and peak resident memory of that process.
With --trace, also the peak Python allocation of the preview (tracemalloc), in this process.
"""

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "import_bench.sqlite3"
YEAR = 2026

UNITS = [  # name, short name, aliases, kind
    ("区发展和改革局", "区发改局", ["发改局", "区发改委"], "department"),
    ("区财政局", "", ["财政局"], "department"),
    ("区经济和信息化局", "区经信局", ["经信局", "区工信局"], "department"),
    ("区科学技术局", "区科技局", ["科技局"], "department"),
    ("区教育局", "", ["教育局"], "department"),
    ("区民政局", "", ["民政局"], "department"),
    ("区人力资源和社会保障局", "区人社局", ["人社局", "区人力社保局"], "department"),
    ("区自然资源和规划局", "区规资局", ["规资局"], "department"),
    ("区生态环境分局", "", ["生态环境分局"], "department"),
    ("区住房和城乡建设局", "区住建局", ["住建局"], "department"),
    ("区交通运输局", "区交通局", ["交通局"], "department"),
    ("区农业农村局", "区农业局", ["农业农村局"], "department"),
    ("区商务局", "", ["商务局"], "department"),
    ("区文化和旅游局", "区文旅局", ["文旅局"], "department"),
    ("区卫生健康局", "区卫健局", ["卫健局"], "department"),
    ("区应急管理局", "区应急局", ["应急局"], "department"),
    ("区市场监督管理局", "区市场监管局", ["市场监管局"], "department"),
    ("区城市管理局", "区城管局", ["城管局"], "department"),
    ("区数据资源局", "区数据局", ["数据局"], "department"),
    ("区税务局", "", [], "external"),
    ("城关街道办事处", "城关街道", [], "subdistrict"),
    ("东湖街道办事处", "东湖街道", [], "subdistrict"),
    ("西城街道办事处", "西城街道", [], "subdistrict"),
    ("南山街道办事处", "南山街道", [], "subdistrict"),
    ("北塘镇人民政府", "北塘镇", [], "town"),
    ("青石镇人民政府", "青石镇", [], "town"),
    ("柳河镇人民政府", "柳河镇", [], "town"),
    ("区经济开发区管委会", "开发区管委会", ["经开区"], "park"),
    ("区城投集团", "", ["城投公司"], "company"),
]
LEADERS = [
    ("叶枝利", "区长"),
    ("徐洪涛", "常务副区长"),
    ("张盈军", "副区长"),
    ("王健", "副区长"),
    ("刘哲", "副区长"),
    ("陈兴立", "副区长"),
    ("赵海滨", "区政府党组成员"),
    ("姚珂军", "副区长"),
]
CATEGORIES = ["产业转型升级", "乡村振兴", "生态环境保护", "民生保障", "项目建设", "营商环境"]
VERBS = ["加快推进", "全面完成", "持续深化", "启动建设", "建成投用", "优化提升", "扎实推进", "新建改建"]
OBJECTS = [
    "老旧小区改造",
    "农村公路提档升级",
    "智慧城市平台",
    "污水管网建设",
    "中小学扩容",
    "养老服务中心",
    "产业园区基础设施",
    "数字经济产业园",
    "河湖生态修复",
    "便民服务中心",
    "农贸市场改造",
    "人才公寓",
]
STEPS = [("3月底前", "完成立项"), ("6月底前", "开工建设"), ("9月底前", "主体完工"), ("12月底前", "竣工投用")]
HEADERS = [
    "编号",
    "板块",
    "重点任务",
    "工作目标",
    "牵头单位",
    "配合单位",
    "责任领导",
    "责任人",
    "完成时限",
    "时间节点",
    "权重",
    "备注",
]


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongtui.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_district() -> list[tuple[str, str]]:
    """The units and people, through the organisation's actions; returns (unit name, owner name) pairs."""
    from django.core.management import call_command
    from django.db import connections

    from tongtui.core.system import system_user
    from tongtui.orgs import actions

    call_command("migrate", verbosity=0)
    by = system_user()
    root = actions.create_unit(by=by, name="示范区人民政府", short_name="区政府", kind="district")
    units = []
    for order, (name, short, aliases, kind) in enumerate(UNITS, start=1):
        units.append(
            actions.create_unit(
                by=by, name=name, short_name=short, aliases=aliases, kind=kind, parent=root, order=order
            )
        )
    streets = [u for u in units if u.kind in ("subdistrict", "town")]
    departments = [u for u in units if u.kind == "department"]
    actions.create_group(by=by, name="各街道", units=streets, aliases=["各镇(街道)", "各镇街"])
    actions.create_group(by=by, name="区直各部门", units=departments, aliases=["各相关部门", "区级有关部门"])
    for name, title in LEADERS:
        actions.create_person(by=by, name=name, title=title, unit=root)
    owners = []
    for i, unit in enumerate(units):
        person = actions.create_person(by=by, name=f"责任人{i + 1:02d}", title="副局长", unit=unit)
        owners.append((unit.name, person.name))
    connections.close_all()
    return owners


def written(rng: random.Random, index: int) -> str:
    """A unit as a document might write it: full name, short name or an alias."""
    name, short, aliases, _kind = UNITS[index]
    return rng.choice([name, short or name, *(aliases or [name])])


def write_book(path: Path, rows: int, owners: list[tuple[str, str]], rng: random.Random) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务分解")
    ws.append([f"{YEAR}年区政府重点工作任务分解表"])
    ws.append(HEADERS)
    for i in range(1, rows + 1):
        lead = rng.randrange(len(UNITS))
        co = rng.sample([k for k in range(len(UNITS)) if k != lead], rng.choice([0, 1, 2, 3]))
        co_text = "、".join(written(rng, k) for k in co)
        if rng.random() < 0.15:
            co_text = (co_text + "," if co_text else "") + rng.choice(["各街道", "区直各部门", "各镇(街道)"])
        leader, title = LEADERS[rng.randrange(len(LEADERS))]
        steps = sorted(rng.sample(range(len(STEPS)), 3))
        schedule = ";".join(STEPS[s][0] + STEPS[s][1] for s in steps)
        ws.append(
            [
                str(i),
                CATEGORIES[i % len(CATEGORIES)],
                f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}(第{i}项)",
                f"年内完成投资{rng.randrange(1, 50)}亿元",
                written(rng, lead),
                co_text,
                leader + title if rng.random() < 0.5 else leader,
                owners[lead][1],
                "12月底前",
                schedule,
                rng.choice([1, 1, 1, 2, 0.5]),
                "",
            ]
        )
    wb.save(path)


# The child runs `tongtui ARGS` and reports its own peak resident memory on stderr as it exits.
CHILD = (
    "import resource, sys\n"
    "from tongtui.__main__ import main\n"
    "sys.argv = ['tongtui', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def timed(args: list[str]) -> dict[str, float | str]:
    """Run the command as a child process: wall time, CPU time and the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{DB}"},
        cwd=ROOT,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"import_tasks failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    lines = proc.stdout.strip().splitlines()
    rss = next(ln for ln in proc.stderr.splitlines() if ln.startswith("maxrss "))
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rss_mb": int(rss.split()[1]) / 1024,  # the child's own peak, in MiB (Linux reports KiB)
        "summary": next((ln for ln in reversed(lines) if re.match(r"^(\d+ rows: |共\d+行)", ln)), ""),
        "phases": next((ln for ln in lines if ln.startswith("time: ")), ""),
    }


def trace_preview(path: Path) -> tuple[float, float]:
    import tracemalloc

    from tongtui.plans.importing.apply import read_book
    from tongtui.plans.importing.book import Options
    from tongtui.plans.models import Plan

    data = path.read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    read_book(path.name, data, Options(year=YEAR), plan=Plan.objects.filter(year=YEAR).first())
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations of the preview")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    setup_django()
    started = time.perf_counter()
    owners = build_district()
    book = OUT / f"task_book_{args.rows}.xlsx"
    write_book(book, args.rows, owners, random.Random(args.seed))
    print(
        f"district and {args.rows}-row book ({book.stat().st_size / 1024:.0f} KiB) built in "
        f"{time.perf_counter() - started:.1f} s; database {DB}"
    )
    runs = [
        (
            "dry run (read + preview)",
            ["import_tasks", str(book), "--plan", str(YEAR), "--dry-run", "-v", "2"],
        ),
        ("import (create)", ["import_tasks", str(book), "--plan", str(YEAR), "-v", "2"]),
        ("re-import (unchanged)", ["import_tasks", str(book), "--plan", str(YEAR), "-v", "2"]),
    ]
    print(f"{'run':<26} {'wall s':>7} {'cpu s':>7} {'peak RSS MiB':>13}")
    for label, command in runs:
        r = timed(command)
        print(f"{label:<26} {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['rss_mb']:>13.0f}   {r['phases']}")
        print(f"{'':<26} {r['summary']}")
    if args.trace:
        seconds, peak = trace_preview(book)
        print(f"preview under tracemalloc: {seconds:.2f} s, peak Python allocation {peak:.1f} MiB")


if __name__ == "__main__":
    main()
