"""Build the demo district through the actions, as the system account, reproducibly."""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from tongtui.core.system import system_user
from tongtui.demo import assessment as demo_assessment
from tongtui.demo import (
    book_economy,
    book_green,
    book_people,
    collaboration,
    dispatch,
    practices,
    supervision,
)
from tongtui.demo import lights as demo_lights
from tongtui.demo.clock import at
from tongtui.demo.district import Org, build_org
from tongtui.demo.state import Track, simulate
from tongtui.demo.tasks import (
    CATEGORIES,
    Spec,
    Sub,
    date_of,
    deadline_text,
    deliverables_of,
    parse_steps,
    schedule_of,
)
from tongtui.dispatch.models import ProgressReport
from tongtui.orgs.models import Person, Unit, UnitGroup
from tongtui.plans import actions
from tongtui.plans.models import Category, Indicator, Milestone, Plan, Task
from tongtui.supervision import recompute

SEED = 20260101
BOOK: dict[str, list[Spec]] = {
    "产业转型升级": book_economy.INDUSTRY,
    "乡村振兴": book_green.RURAL,
    "生态环境保护": book_green.ECOLOGY,
    "民生保障": book_people.WELFARE,
    "项目建设": book_people.PROJECTS,
    "营商环境": book_economy.BUSINESS,
}
# Apps whose rows are shared configuration or none at all; every other tongtui app holds domain data.
NOT_DOMAIN = {"core", "api"}
DIRECTION = {"down": Indicator.Direction.DECREASE, "reach": Indicator.Direction.REACH}


@dataclass
class Result:
    year: int
    built: bool  # False when the plan year was already there
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str, Person]] = field(default_factory=list)


def build_demo(
    *, year: int, reset: bool = False, today: datetime.date | None = None, seed: int = SEED
) -> Result:
    started = time.monotonic()
    today = today or timezone.localdate()
    by = system_user()
    with transaction.atomic():
        if reset:
            wipe_domain_data()
        org = build_org(by=by, seed=seed)
        built = not Plan.objects.filter(year=year).exists()
        if built:
            rng = random.Random(seed + year)
            plan = actions.create_plan(
                by=by, year=year, title=f"示范区{year}年重点工作", categories=[c for c, _k in CATEGORIES]
            )
            with at(datetime.date(year, 1, 4)):
                dispatch.set_cycle(plan, by=by)
            tracks = build_tasks(org, plan, by=by, rng=rng)
            story = simulate(tracks, org, year=year, today=today, by=by, rng=rng)
            assert story.people is not None
            if story.as_of == today:  # the plan year is under way: its problems, meetings and supervision
                dispatch.problems_and_meetings(plan, org, story.people, today=today, by=by)
                supervision.supervise(plan, org, story.people, today=today)
                collaboration.collaborate(plan, org, story.people, today=today)
                practices.public_tasks(plan, office=story.people.office, today=today)
                practices.practices(plan, org, story.people, today=today)
            lights = recompute.recompute_plan(plan, today)
            history_days = demo_lights.replay_history(plan, today)
            if story.as_of == today:  # scores, rankings and bulletins of the quarters behind
                assessed = demo_assessment.assess(plan, org, story.people.office, today=today, rng=rng)
    result = Result(year=year, built=built, logins=org.logins)
    if built:
        result.counts.update({f"lights {k}": v for k, v in lights.items()})
        result.counts["light history days"] = history_days
        if story.as_of == today:
            result.counts |= assessed
    plan_tasks = Task.objects.filter(plan__year=year)
    result.counts |= {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "tasks": plan_tasks.count(),
        "milestones": Milestone.objects.filter(task__plan__year=year).count(),
        "indicators": Indicator.objects.filter(task__plan__year=year).count(),
        **{
            f"reports {row['status']}": row["n"]
            for row in ProgressReport.objects.filter(task__plan__year=year)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by("status")
        },
    }
    result.seconds = time.monotonic() - started
    return result


def wipe_domain_data() -> None:
    """Empty every table of the domain apps, their history included; users and logins stay."""
    existing = set(connection.introspection.table_names())
    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("tongtui.") and config.label not in NOT_DOMAIN
        for model in config.get_models(include_auto_created=True)
        if model._meta.db_table in existing
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # rows written earlier in this transaction leave deferred FK checks pending; TRUNCATE refuses those
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)


def build_tasks(org: Org, plan: Plan, *, by: Any, rng: random.Random) -> list[Track]:
    """Create every task of the book with its milestones and indicators; return them in build order."""
    categories = {c.name: c for c in Category.objects.filter(plan=plan)}
    tracks: list[Track] = []
    for c_no, (name, leader_key) in enumerate(CATEGORIES, start=1):
        for t_no, spec in enumerate(BOOK[name], start=1):
            leader = org.leaders[spec.leader or leader_key]
            parent = _task(org, plan, spec, f"{c_no}.{t_no}", categories[name], leader, by=by, rng=rng)
            tracks.append(parent)
            for s_no, sub in enumerate(spec.subs, start=1):
                tracks.append(
                    _sub_task(org, plan, spec, sub, f"{c_no}.{t_no}.{s_no}", parent, by=by, rng=rng)
                )
    return tracks


def _task(
    org: Org,
    plan: Plan,
    spec: Spec,
    code: str,
    category: Category,
    leader: Person,
    *,
    by: Any,
    rng: random.Random,
) -> Track:
    steps = parse_steps(schedule_of(spec), plan.year)
    due = date_of(spec.due, plan.year) if spec.due else steps[-1].due
    owner: Person | None = rng.choice(org.deputies[spec.lead])
    if spec.state == "draft":
        owner = None  # the responsible person is still to be named: the task cannot be assigned yet
    task = actions.create_task(
        by=by,
        plan=plan,
        code=code,
        title=spec.title,
        category=category,
        goal=spec.goal,
        measures=spec.measures,
        deliverables=deliverables_of(spec),
        lead_unit=org.unit(spec.lead),
        leader=leader,
        owner=owner,
        start=date_of(spec.start, plan.year),
        due=due,
        deadline_text=deadline_text(due, plan.year, spec),
        weight=Decimal(str(spec.weight)),
        source=spec.source,
        is_public=spec.public,
        co_units=_co_units(org, spec.co),
    )
    milestones = _milestones(task, spec, plan.year, by=by)
    indicator = _indicator(task, spec.ind, by=by) if spec.ind else None
    return Track(task=task, spec=spec, milestones=milestones, indicator=indicator)


def _sub_task(
    org: Org, plan: Plan, spec: Spec, sub: Sub, code: str, parent: Track, *, by: Any, rng: random.Random
) -> Track:
    top = parent.task
    task = actions.create_task(
        by=by,
        plan=plan,
        parent=top,
        code=code,
        title=sub.title,
        category=top.category,
        goal=f"{sub.title},确保按期通过验收。",
        measures=f"落实区级统一部署。{spec.measures}",
        deliverables=top.deliverables,
        lead_unit=org.unit(sub.lead),
        leader=top.leader,
        owner=rng.choice(org.deputies[sub.lead]),
        start=top.start,
        due=top.due,
        deadline_text=top.deadline_text,
        weight=Decimal(str(sub.weight)),
        source=top.source,
        is_public=top.is_public,
    )
    milestones = _milestones(task, spec, plan.year, by=by)
    indicator = None
    if spec.ind and sub.target is not None:
        indicator = _indicator(task, (spec.ind[0], spec.ind[1], 0, sub.target, *spec.ind[4:]), by=by)
    return Track(task=task, spec=spec, milestones=milestones, parent=parent, indicator=indicator)


def _milestones(task: Task, spec: Spec, year: int, *, by: Any) -> list[Milestone]:
    return [
        actions.add_milestone(
            task,
            by=by,
            title=step.title,
            due=step.due,
            planned_progress=step.planned,
            seq=seq,
            evidence_required=step.planned >= 100,
        )
        for seq, step in enumerate(parse_steps(schedule_of(spec), year), start=1)
    ]


def _indicator(task: Task, ind: tuple, *, by: Any) -> Indicator:
    name, uom, baseline, target, *rest = ind
    direction = DIRECTION.get(rest[0], Indicator.Direction.INCREASE) if rest else Indicator.Direction.INCREASE
    return actions.add_indicator(
        task,
        by=by,
        name=name,
        unit_of_measure=uom,
        baseline=Decimal(str(baseline)),
        target=Decimal(str(target)),
        direction=direction,
    )


def _co_units(org: Org, text: str) -> list[Unit]:
    """'区统计局、各镇街' -> units; a group name stands for its members."""
    found: list[Unit] = []
    for name in filter(None, text.split("、")):
        if name in org.units:
            members = [org.units[name]]
        else:
            members = list(UnitGroup.objects.get(name=name).units.all())
        found += [u for u in members if u not in found]
    return found
