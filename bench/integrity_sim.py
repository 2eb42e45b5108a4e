"""Integrity simulator: a district year of reports with planted anomalies and honest noise, scored.

    .venv/bin/python bench/integrity_sim.py [--units 80] [--tasks 480] [--seed 1] [--rate 0.05]

Generates monthly reports for a plan year. A share `rate` of tasks gets each kind of planted anomaly
(copy-paste across units and from the unit's own earlier reports, progress jumps, straight to 100 % at
the deadline, completion without evidence, "90 % syndrome", edits and back-dating after submission,
indicator values out of bounds, falling or inconsistent with progress, evidence files reused).
Honest noise rides along: late bursts of progress, back-loaded plans, repeated short wording such as
"按计划推进中", the same stock phrases in every report, corrections within minutes of submission,
reports a few days late, a unit attaching the same policy document twice, indicator values that wobble.

The pure integrity signals run over everything; a (kind, task) pair is a hit when a flag of that kind
names a task where that kind was planted. Prints precision and recall per kind as a Markdown table.
"""

import argparse
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tongtui.supervision.signals.facts import IndicatorFact, MilestoneFact, ReportFact, TaskFacts  # noqa: E402
from tongtui.supervision.signals.flags import Flag, FlagKind, rank_tasks  # noqa: E402
from tongtui.supervision.signals.indicators import indicator_flags  # noqa: E402
from tongtui.supervision.signals.integrity import evidence_reuse_flags, task_flags  # noqa: E402
from tongtui.supervision.signals.textsim import DEFAULT_TEXT_RULES, TextRules, near_duplicate_flags  # noqa: E402

YEAR = 2026
AS_OF = date(YEAR + 1, 1, 31)
MONTH_ENDS = [date(YEAR, m + 1, 1) - timedelta(days=1) for m in range(1, 12)] + [date(YEAR, 12, 31)]
K = FlagKind

# Planted kinds. Indicator kinds are planted on tasks that have an indicator.
# The year's reports as the integrity job reads them. The two checks made at submission (a report that is the
# form's pre-fill, or last period's text with new figures) read the form's pre-fill, which these reports do
# not carry; they have their own tests (tests/dispatch/test_repeats.py, tests/supervision/test_repeats.py).
AT_SUBMISSION = {FlagKind.SAME_AS_PREFILL, FlagKind.FIGURES_CHANGED_ONLY}
PLANTED = [k for k in FlagKind if k not in AT_SUBMISSION]

PLACES = "城关 河西 东湖 南岭 北塘 新港 青山 石桥 龙泉 枫林 桃源 白沙 金湾 柳营 云台 双河 凤鸣 高新 滨江 铁山".split()
THINGS = (
    "标准厂房 污水管网 安置小区 农贸市场 道路提升 学校扩建 养老中心 停车场 产业园 供水工程 垃圾中转站 "
    "口袋公园 卫生院 物流园 充电桩 雨污分流 老旧小区 数字乡村 文旅街区 冷链仓储"
).split()
VERBS = "召开 组织 完成 推进 开展 落实 督促 协调 启动 验收 编制 审定 签订 拨付 走访 排查 整改 对接 上报 公示".split()
OBJECTS = (
    "专题会议 现场踏勘 可研报告 施工图设计 征迁协议 招标文件 土方开挖 主体结构 设备采购 资金申报 "
    "环评批复 用地报批 消防验收 竣工结算 群众座谈 安全检查 质量巡查 入户调查 规划许可 合同备案"
).split()
PEOPLE = "施工单位 设计单位 监理单位 街道 村委会 区住建局 区自然资源局 区财政局 供电公司 项目业主".split()
STOCK = [
    "深入贯彻落实区委区政府决策部署,压实责任,强化调度。",
    "下一步将继续加强统筹协调,加快推进项目建设。",
    "严格按照时间节点要求,倒排工期,挂图作战。",
]
NAME_CHARS = "安宝北彩昌晨成崇大德东丰福富港光广贵桂国海航和河宏鸿华怀惠吉佳嘉建江金锦景靖九聚康乐黎丽利莲良林临龙隆禄茂梅美民明南宁鹏平埔琦启千前庆秋泉仁荣瑞润三森山善上尚盛石时寿书舒顺松泰棠天通同万旺望文西溪祥湘新鑫兴秀旭阳杨耀业义益银英永友裕元园远月云泽长兆振正芝中忠洲竹庄卓紫"
SHORT = ["按计划推进中。", "正常推进。", "按计划推进中,无问题。", "工作有序推进。"]


@dataclass
class World:
    tasks: list[TaskFacts]
    indicators: list[IndicatorFact]
    truth: set[tuple[FlagKind, int]] = field(default_factory=set)

    def reports(self) -> list[ReportFact]:
        return [r for t in self.tasks for r in t.reports]


@dataclass
class Score:
    planted: int = 0
    flagged: int = 0
    hits: int = 0
    strong: int = 0  # flagged with strength >= STRONG
    strong_hits: int = 0

    @property
    def strong_precision(self) -> float | None:
        return self.strong_hits / self.strong if self.strong else None

    @property
    def precision(self) -> float | None:
        return self.hits / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.hits / self.planted if self.planted else None


def name(rng: random.Random) -> str:
    return rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS)


def sentence(rng: random.Random, project: str) -> str:
    v, o, p = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(PEOPLE)
    forms = [
        f"{name(rng)}村{name(rng)}组完成{o}{rng.randint(3, 90)}户,{name(rng)}路段{v}{rng.choice(OBJECTS)}",
        f"在{name(rng)}社区{v}{o},{name(rng)}公司{rng.choice(VERBS)}{rng.choice(OBJECTS)}",
        f"{v}{project}{o}工作,与{p}对接{rng.randint(2, 9)}次",
        f"会同{p}{v}{o},解决问题{rng.randint(1, 12)}个",
        f"{project}累计完成投资{rng.randint(100, 9000)}万元,{o}已{v}",
        f"{rng.randint(1, 28)}日{v}{o}现场推进会,明确{p}责任分工",
        f"{p}{v}{o}{rng.randint(10, 95)}%,{rng.choice(OBJECTS)}同步{rng.choice(VERBS)}",
    ]
    return rng.choice(forms)


def report_text(rng: random.Random, project: str) -> str:
    if rng.random() < 0.25:
        return rng.choice(SHORT)  # honest short wording, repeated everywhere
    parts = [sentence(rng, project) for _ in range(rng.randint(3, 5))]
    text = "。".join(parts) + "。"
    if rng.random() < 0.6:
        text = rng.choice(STOCK) + text
    if rng.random() < 0.5:
        text += rng.choice(STOCK)
    return text


def touch_up(rng: random.Random, text: str) -> str:
    """What a copier does: change the figures; every other time also a word or two and a closing line."""
    if rng.random() < 0.5:
        return "".join(str(rng.randint(0, 9)) if c.isdigit() else c for c in text)
    chars = list(text)
    for _ in range(2):
        i = rng.randrange(len(chars))
        if "\u4e00" <= chars[i] <= "\u9fff":
            chars[i] = rng.choice("推进落实完成开展")
    out = "".join(chars)
    out = "".join(str(rng.randint(0, 9)) if c.isdigit() else c for c in out)
    return out + rng.choice(["", "下一步继续推进。", rng.choice(STOCK)])


def honest_curve(rng: random.Random, months: list[date], due: date) -> list[float]:
    """Progress per month end: the plan's line with a pace factor and noise. Sometimes a late burst (behind
    for months, then catching up by 18–28 points a month), and rarely one real big step (equipment delivered,
    a contract signed: 30–40 points at once) that the signals cannot tell from a made-up jump."""
    n = len(months)
    pace = rng.uniform(0.7, 1.15)
    burst = rng.random() < 0.15
    big_step = rng.randrange(2, n) if n > 3 and rng.random() < 0.03 else None
    values, p = [], 0.0
    for i, _m in enumerate(months):
        planned = 100 * (i + 1) / n
        target = planned * (0.6 if burst and i < n - 3 else pace)
        step = max(0.0, target - p + rng.uniform(-3, 3))
        if burst and i >= n - 3:
            step = min(step, rng.uniform(18, 28))
        if i == big_step:
            step = rng.uniform(30, 40)
        p = min(100.0, p + step)
        values.append(round(p, 1))
    if 78 <= values[-1] < 100 and rng.random() < 0.7:
        values[-1] = 100.0  # the last stretch done in the last month
    return values


def generate(units: int = 80, tasks: int = 480, seed: int = 1, rate: float = 0.05) -> World:
    rng = random.Random(seed)
    world = World([], [])
    task_units = [i % units + 1 for i in range(tasks)]
    rng.shuffle(task_units)
    plans: dict[int, set[FlagKind]] = defaultdict(set)
    for kind in PLANTED:
        for t in rng.sample(range(tasks), max(1, round(rate * tasks))):
            plans[t].add(kind)
    # Keep plantings apart where one would mask or mimic another on the same task.
    exclusive = [K.DEADLINE_JUMP, K.PROGRESS_JUMP, K.STUCK_NEAR_DONE]
    for kinds in plans.values():
        present = [k for k in exclusive if k in kinds]
        for k in present[1:]:
            kinds.discard(k)
        if K.STUCK_NEAR_DONE in kinds:
            kinds.discard(K.COMPLETION_WITHOUT_EVIDENCE)
            kinds.discard(K.INDICATOR_INCONSISTENT)
        if K.INDICATOR_INCONSISTENT in kinds:
            kinds.discard(K.INDICATOR_DECREASED)

    hashes = iter(range(1, 10**9))
    report_id = iter(range(1, 10**9))
    for t in range(tasks):
        unit = task_units[t]
        project = rng.choice(PLACES) + rng.choice(THINGS) + "项目"
        due_month = rng.choice([5, 8, 9, 10, 11, 11, 11, 11, 11, 11])  # index into MONTH_ENDS
        months = MONTH_ENDS[: due_month + 1]
        due = months[-1]
        back_loaded = rng.random() < 0.2
        kinds = plans.get(t, set())
        curve = honest_curve(rng, months, due)
        if back_loaded:  # honest: a plan that asks for most of the work late, followed as planned
            curve = [round(100 * ((i + 1) / len(months)) ** 2.2, 1) for i in range(len(months))]
        if K.PROGRESS_JUMP in kinds:
            at = rng.randrange(3, max(4, len(months) - 2))
            jump = rng.uniform(35, 55)
            curve, p = [], 0.0
            for i in range(len(months)):  # slow, one leap, then the plan's pace to the end
                p = min(100.0, p + (jump if i == at else rng.uniform(2, 4) if i < at else rng.uniform(9, 14)))
                curve.append(round(p, 1))
        if K.DEADLINE_JUMP in kinds:
            low = rng.uniform(15, 48)
            curve = [round(low * (i + 1) / (len(months) - 1), 1) for i in range(len(months) - 1)] + [100.0]
        if K.STUCK_NEAR_DONE in kinds:
            start = rng.randrange(2, max(3, len(months) - 4))
            curve = [
                round(82 * (i + 1) / (start + 1), 1) if i <= start else round(rng.uniform(84, 93), 1)
                for i in range(len(months))
            ]
            curve = [min(c, 93.0) for c in curve]
        milestones = []
        for q in (0.25, 0.5, 0.75, 1.0):
            i = max(0, round(q * len(months)) - 1)
            planned = round(100 * q ** (2.2 if back_loaded else 1.0), 1)
            milestones.append(MilestoneFact(due=months[i], planned_progress=planned))
        reports: list[ReportFact] = []
        for i, m in enumerate(months):
            p = curve[i]
            sub = datetime(m.year, m.month, m.day, 9) + timedelta(
                days=rng.randint(1, 4), hours=rng.randint(0, 8)
            )
            if rng.random() < 0.08:
                sub += timedelta(days=rng.randint(3, 12))  # honest lateness
            evidence: tuple[str, ...] = ()
            if rng.random() < 0.5 or p >= 100:
                evidence = tuple(f"h{next(hashes)}" for _ in range(rng.randint(1, 3)))
            edited = None
            if rng.random() < 0.1:
                edited = sub + timedelta(minutes=rng.randint(2, 50))  # honest quick correction
            reports.append(
                ReportFact(
                    period_end=m,
                    progress=p,
                    submitted_at=sub,
                    text=report_text(rng, project),
                    evidence_hashes=evidence,
                    edited_at=edited,
                    report_id=next(report_id),
                    task_id=t,
                    unit_id=unit,
                )
            )
            if p >= 100:
                break
        if rng.random() < 0.05 and len(reports) > 2:  # honest: the same policy document attached twice
            a = rng.randrange(len(reports) - 1)
            doc = f"policy{t}"
            reports[a] = replace(reports[a], evidence_hashes=(*reports[a].evidence_hashes, doc))
            reports[a + 1] = replace(reports[a + 1], evidence_hashes=(*reports[a + 1].evidence_hashes, doc))
        if K.COMPLETION_WITHOUT_EVIDENCE in kinds:
            last = reports[-1]
            reports[-1] = replace(last, progress=100.0, evidence_hashes=())
            if len(reports) > 1 and float(reports[-2].progress or 0) <= 50:
                reports[-2] = replace(reports[-2], progress=80.0)  # not also a deadline jump
        if K.EDITED_AFTER_SUBMISSION in kinds:
            i = rng.randrange(len(reports))
            r = reports[i]
            assert isinstance(r.submitted_at, datetime)
            reports[i] = replace(r, edited_at=r.submitted_at + timedelta(days=rng.randint(2, 60)))
        old = [i for i, r in enumerate(reports) if (AS_OF - r.period_end).days > 45]
        if K.BACKDATED in kinds and old:  # filed (and so known) before the evaluation date
            i = rng.choice(old)
            r = reports[i]
            sub = datetime(r.period_end.year, r.period_end.month, r.period_end.day, 10)
            late = rng.randint(40, min(120, (AS_OF - r.period_end).days - 1))
            reports[i] = replace(r, submitted_at=sub + timedelta(days=late))
        elif K.BACKDATED in kinds:
            kinds.discard(K.BACKDATED)
        if K.TEXT_REPEATS_OWN in kinds and len(reports) > 2:
            long = [i for i, r in enumerate(reports[:-1]) if len(r.text) > 40]
            if long:
                src = rng.choice(long)
                dst = rng.randrange(src + 1, len(reports))
                reports[dst] = replace(reports[dst], text=touch_up(rng, reports[src].text))
            else:
                kinds.discard(K.TEXT_REPEATS_OWN)
        elif K.TEXT_REPEATS_OWN in kinds:
            kinds.discard(K.TEXT_REPEATS_OWN)
        world.tasks.append(
            TaskFacts(
                task_id=t,
                status="in_progress",
                start=date(YEAR, 1, 1),
                due=due,
                milestones=tuple(milestones),
                reports=tuple(reports),
                default_start=date(YEAR, 1, 1),
                unit_id=unit,
            )
        )

    _plant_cross_unit(rng, world, plans)
    _plant_evidence_reuse(rng, world, plans)
    _indicators(rng, world, plans)
    for t, kinds in plans.items():
        for k in kinds:
            world.truth.add((k, t))
    return world


def _plant_cross_unit(rng: random.Random, world: World, plans: dict[int, set[FlagKind]]) -> None:
    """Copy another unit's report of the same period, filed a day later."""
    for t, kinds in plans.items():
        if K.TEXT_MATCHES_OTHER_UNIT not in kinds:
            continue
        facts = world.tasks[t]
        i = rng.randrange(len(facts.reports))
        mine = facts.reports[i]
        sources = [
            r
            for other in world.tasks
            if other.unit_id != facts.unit_id and not plans.get(other.task_id)
            for r in other.reports
            if r.period_end == mine.period_end and len(r.text) > 40
        ]
        if not sources:
            kinds.discard(K.TEXT_MATCHES_OTHER_UNIT)
            continue
        src = rng.choice(sources)
        assert isinstance(src.submitted_at, datetime)
        copied = replace(
            mine, text=touch_up(rng, src.text), submitted_at=src.submitted_at + timedelta(days=1)
        )
        if K.BACKDATED not in kinds and (copied.known_on - copied.period_end).days > 30:
            kinds.add(K.BACKDATED)
        world.tasks[t] = _with_report(facts, i, copied)


def _plant_evidence_reuse(rng: random.Random, world: World, plans: dict[int, set[FlagKind]]) -> None:
    """Attach a file already used by an earlier report of another unit (or, once in three, of the same task)."""
    for t, kinds in plans.items():
        if K.EVIDENCE_REUSED not in kinds:
            continue
        facts = world.tasks[t]
        i = rng.randrange(1, len(facts.reports)) if len(facts.reports) > 1 else 0
        mine = facts.reports[i]
        if rng.random() < 1 / 3 and i > 0:
            pool = [r for r in facts.reports[:i] if r.evidence_hashes]
        else:
            pool = [
                r
                for other in world.tasks
                if other.unit_id != facts.unit_id and not plans.get(other.task_id)
                for r in other.reports
                if r.evidence_hashes and r.known_on < mine.known_on
            ]
        if not pool:
            kinds.discard(K.EVIDENCE_REUSED)
            continue
        src = rng.choice(pool)
        reused = replace(mine, evidence_hashes=(*mine.evidence_hashes, rng.choice(src.evidence_hashes)))
        world.tasks[t] = _with_report(facts, i, reused)


def _with_report(facts: TaskFacts, i: int, report: ReportFact) -> TaskFacts:
    reports = list(facts.reports)
    reports[i] = report
    return replace(facts, reports=tuple(reports))


def _indicators(rng: random.Random, world: World, plans: dict[int, set[FlagKind]]) -> None:
    ind_kinds = {K.INDICATOR_OUT_OF_BOUNDS, K.INDICATOR_DECREASED, K.INDICATOR_INCONSISTENT}
    for facts in world.tasks:
        kinds = plans.get(facts.task_id, set())
        wanted = kinds & ind_kinds
        if not wanted and rng.random() < 0.5:
            continue
        target = float(rng.choice([500, 1200, 3000, 20000]))
        values: list[tuple[date, float]] = []
        for r in facts.reports:
            got = target * float(r.progress or 0) / 100 * rng.uniform(0.9, 1.05)
            if values and got < values[-1][1]:
                got = max(got, values[-1][1] - 0.03 * target)  # honest wobble, within tolerance
            values.append((r.period_end, round(got, 1)))
        if K.INDICATOR_INCONSISTENT in wanted:
            values = [(d, round(min(v, 0.15 * target * rng.uniform(0.8, 1.0)), 1)) for d, v in values]
            values = [(d, max(v, values[max(0, i - 1)][1])) for i, (d, v) in enumerate(values)]
            if all(float(r.progress or 0) < 80 for r in facts.reports):
                last = facts.reports[-1]
                world.tasks[facts.task_id] = _with_report(
                    facts, len(facts.reports) - 1, replace(last, progress=90.0)
                )
        if K.INDICATOR_DECREASED in wanted and len(values) >= 3:
            at = rng.randrange(1, len(values))
            values = [
                (d, v if i < at else round(max(0.0, v - 0.3 * target), 1)) for i, (d, v) in enumerate(values)
            ]
        elif K.INDICATOR_DECREASED in wanted:
            kinds.discard(K.INDICATOR_DECREASED)
        if K.INDICATOR_OUT_OF_BOUNDS in wanted:
            d, v = values[-1]
            values[-1] = (d, round(max(v, 0.5 * target) * rng.choice([10, 100]), 1))  # 万 typed as 元
        world.indicators.append(
            IndicatorFact(
                target=target,
                baseline=0.0,
                values=tuple(values),
                indicator_id=facts.task_id,
                task_id=facts.task_id,
                unit_id=facts.unit_id,
                name="完成投资",
            )
        )


def run_signals(world: World, as_of: date = AS_OF, text_rules: TextRules = DEFAULT_TEXT_RULES) -> list[Flag]:
    flags: list[Flag] = []
    for facts in world.tasks:
        flags.extend(task_flags(facts, as_of))
    by_task = {t.task_id: t for t in world.tasks}
    for ind in world.indicators:
        assert ind.task_id is not None
        flags.extend(indicator_flags(ind, by_task[ind.task_id].reports, as_of))
    reports = world.reports()
    flags.extend(evidence_reuse_flags(reports, as_of))
    flags.extend(near_duplicate_flags(reports, as_of, text_rules))
    return flags


STRONG = 0.5


def score(world: World, flags: list[Flag]) -> dict[FlagKind, Score]:
    seen: dict[tuple[FlagKind, int | None], float] = {}
    for f in flags:
        seen[(f.kind, f.task_id)] = max(f.strength, seen.get((f.kind, f.task_id), 0.0))
    scores = {k: Score() for k in FlagKind}
    for kind, _task in world.truth:
        scores[kind].planted += 1
    for (kind, task), strength in seen.items():
        hit = (kind, task) in world.truth
        scores[kind].flagged += 1
        scores[kind].hits += hit
        if strength >= STRONG:
            scores[kind].strong += 1
            scores[kind].strong_hits += hit
    return scores


def ranking(world: World, flags: list[Flag], share: float = 0.05) -> tuple[int, float, float]:
    """Of the riskiest `share` of tasks (rank_tasks), the part carrying a planted anomaly, and the base rate."""
    top = rank_tasks(flags)[: max(1, round(share * len(world.tasks)))]
    planted = {t for _k, t in world.truth}
    return len(top), sum(r.task_id in planted for r in top) / len(top), len(planted) / len(world.tasks)


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f} %"


def table(scores: dict[FlagKind, Score]) -> str:
    lines = [
        f"| kind | planted | flagged | hits | precision | recall | precision at strength ≥ {STRONG} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, s in scores.items():
        lines.append(
            f"| `{kind.value}` | {s.planted} | {s.flagged} | {s.hits} | {pct(s.precision)} | {pct(s.recall)} "
            f"| {pct(s.strong_precision)} ({s.strong}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=80)
    parser.add_argument("--tasks", type=int, default=480)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--text-threshold", type=float, default=DEFAULT_TEXT_RULES.threshold)
    args = parser.parse_args()
    t0 = time.perf_counter()
    world = generate(args.units, args.tasks, args.seed, args.rate)
    t1 = time.perf_counter()
    rules = replace(DEFAULT_TEXT_RULES, threshold=args.text_threshold)
    flags = run_signals(world, text_rules=rules)
    t2 = time.perf_counter()
    n_reports = len(world.reports())
    print(
        f"{args.units} units, {len(world.tasks)} tasks, {n_reports} reports, {len(world.indicators)} indicators; "
        f"{len(world.truth)} planted anomalies; {len(flags)} flags; generated in {t1 - t0:.2f} s, "
        f"signals in {t2 - t1:.2f} s (seed {args.seed}, text threshold {args.text_threshold})\n"
    )
    print(table(score(world, flags)))
    n, hit, base = ranking(world, flags)
    print(f"\nriskiest {n} tasks (5 %): {pct(hit)} carry a planted anomaly; base rate {pct(base)}")


if __name__ == "__main__":
    main()
