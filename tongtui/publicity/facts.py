"""The facts of a bulletin, loaded set-based: the tasks in scope with their lights on the bulletin's date (read
only through `supervision.light_views`, so a bulletin names the same light and reasons as the desk did that
day), the units' late and returned reports in the period, and the ranking of a period the office has
published."""

import datetime
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from tongtui.assessment import tables
from tongtui.assessment.access import lists_published
from tongtui.assessment.models import RankingPublication
from tongtui.assessment.ranking import parse_period
from tongtui.dispatch.models import ProgressReport
from tongtui.dispatch.models.reports import ReportStatus
from tongtui.orgs.models import Person
from tongtui.plans.models import Category, Plan, Task
from tongtui.plans.models.tasks import TaskStatus
from tongtui.publicity.compose import Facts, PracticeFact, RankFact, ReportFact, TaskFact
from tongtui.publicity.models import Practice, PracticeStatus, Scope
from tongtui.supervision.light_views import lights_as_of

LEFT_OUT = (TaskStatus.DRAFT, TaskStatus.CANCELLED)


def scope_label(plan: Plan, scope: str, category: Category | None, leader: Person | None) -> str:
    if scope == Scope.CATEGORY and category is not None:
        return f"“{category.name}”类重点工作"
    if scope == Scope.LEADER and leader is not None:
        return f"{leader.name}同志分管的重点工作"
    name = plan.title.replace(f"{plan.year}年", "")
    return name or "重点工作"


def tasks_in_scope(plan: Plan, scope: str, category: Category | None, leader: Person | None):  # type: ignore[no-untyped-def]
    rows = Task.objects.filter(plan=plan).exclude(status__in=LEFT_OUT)
    if scope == Scope.CATEGORY:
        rows = rows.filter(category=category)
    elif scope == Scope.LEADER:
        rows = rows.filter(leader=leader)
    return rows


def published_period(plan: Plan, as_of: datetime.date) -> str:
    """The latest published ranking period that has ended by `as_of` ("" when none)."""
    best = ""
    best_end = None
    for key in RankingPublication.objects.filter(plan=plan).values_list("period", flat=True):
        period = parse_period(key)
        if period.end <= as_of and (best_end is None or (period.end, -len(key)) > (best_end, -len(best))):
            best, best_end = key, period.end
    return best


def red_and_black_lines(plan: Plan, period: str, as_of: datetime.date | None = None) -> list[str]:
    """The red and black lists (红黑榜) of a ranking period, one line per group and list, only where the office
    published the lists with the ranking (otherwise nothing: a bulletin names no unit the units cannot see)."""
    if not period or not lists_published(plan, period):
        return []
    lists, units = tables.red_black_lists(plan, parse_period(period), as_of)
    lines = []
    for rb in lists:
        for label, placed in (("红榜", rb.red), ("黑榜", rb.black)):
            if placed:
                names = "、".join(units[p.unit_id].name for p in placed)
                lines.append(f"{rb.group}{label}：{names}。")
    return lines


def load(plan: Plan, *, start: datetime.date, as_of: datetime.date, scope: str = Scope.PLAN,
         category: Category | None = None, leader: Person | None = None, ranking_period: str = "") -> Facts:  # fmt: skip
    tasks = list(
        tasks_in_scope(plan, scope, category, leader)
        .select_related("lead_unit")
        .only("pk", "code", "title", "status", "closed_on", "lead_unit__name", "lead_text")
        .order_by("code_sort", "code", "pk")
    )
    lights = lights_as_of([t.pk for t in tasks], as_of)
    facts = Facts(scope=scope_label(plan, scope, category, leader), start=start, as_of=as_of)
    for t in tasks:
        view = lights.get(t.pk)
        facts.tasks.append(TaskFact(
            code=t.code, title=t.title, lead=t.lead_unit.name if t.lead_unit else (t.lead_text or "—"),
            closed=t.status == TaskStatus.CLOSED and (t.closed_on is None or t.closed_on <= as_of),
            light=view.light if view else None,
            reasons=tuple(view.reasons) if view else (), severity=tuple(view.severity) if view else (),
        ))  # fmt: skip
    facts.reports = _reports(plan, [t.pk for t in tasks], start, as_of)
    if ranking_period and RankingPublication.objects.filter(plan=plan, period=ranking_period).exists():
        groups, units = tables.rankings(plan, parse_period(ranking_period), as_of)
        facts.ranking_period = ranking_period
        facts.rankings = [RankFact(g.name, tuple((r.rank, units[r.unit_id].name, r.score) for r in g.rows))
                          for g in groups if g.rows]  # fmt: skip
    facts.red_black = red_and_black_lines(plan, ranking_period, as_of) if facts.rankings else []
    facts.practices = practices_in(plan, start, as_of, scope, category, leader)
    return facts


def practices_in(plan: Plan, start: datetime.date, as_of: datetime.date, scope: str = Scope.PLAN,
                 category: Category | None = None, leader: Person | None = None) -> list[PracticeFact]:  # fmt: skip
    """The practices published in the period (by the local date of publication); with a category or a leader's
    scope, those related to a task in it."""
    rows = Practice.objects.filter(plan=plan, status=PracticeStatus.PUBLISHED).exclude(published_at=None)
    if scope in (Scope.CATEGORY, Scope.LEADER):
        tasks = tasks_in_scope(plan, scope, category, leader).values("pk")
        rows = rows.filter(pk__in=Practice.tasks.through.objects.filter(task_id__in=tasks).values("practice_id"))
    out = []
    for unit, kind, title, summary, at in rows.order_by("published_at", "pk").values_list(
        "unit__name", "kind", "title", "summary", "published_at"
    ):
        if start <= timezone.localdate(at) <= as_of:
            out.append(PracticeFact(unit, kind, title, summary))
    return out


def _reports(plan: Plan, task_ids: list[int], start: datetime.date, as_of: datetime.date) -> list[ReportFact]:
    """Per unit: reports of the period filed late (or still not filed past due), and returns made in it."""
    late: Counter[str] = Counter()
    returned: Counter[str] = Counter()
    mine = ProgressReport.objects.filter(task_id__in=task_ids)
    for name in mine.filter(period_end__gte=start, period_end__lte=as_of).filter(
        Q(late_workdays__gt=0) | (Q(due__lt=as_of) & (Q(first_submitted_at__isnull=True)
                                                      | Q(first_submitted_at__date__gt=as_of)))
    ).values_list("unit__name", flat=True):  # fmt: skip
        late[name] += 1
    history = ProgressReport.history.model.objects.filter(  # type: ignore[attr-defined]
        task_id__in=task_ids, status=ReportStatus.RETURNED,
        reviewed_at__date__gte=start, reviewed_at__date__lte=as_of,
    )  # fmt: skip
    for _pk, _at, name in set(history.values_list("id", "reviewed_at", "unit__name")):
        returned[name] += 1
    names = sorted(set(late) | set(returned), key=lambda n: (-(late[n] + returned[n]), n))
    return [ReportFact(n, late[n], returned[n]) for n in names]
