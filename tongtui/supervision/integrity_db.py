"""Run the integrity signals for a plan as known on any date, and store the flags. Set-based.

The lights' loader (`facts_db.load_facts`) gives each task's status, milestones and filed reports; this
module adds what only integrity needs, one query per kind of row for the whole plan: the reports' texts,
their evidence hashes, edits after submission (from the reports' history) and indicator values.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongtui.dispatch.models import FILED, Attachment, ProgressReport, ReportIndicatorValue, ReportStatus
from tongtui.plans.models import Indicator, IndicatorValue, Plan, Task
from tongtui.supervision.facts_db import load_facts
from tongtui.supervision.models import FlagStatus, IntegrityFlag
from tongtui.supervision.signals.facts import IndicatorFact, ReportFact, TaskFacts
from tongtui.supervision.signals.flags import Flag, FlagKind
from tongtui.supervision.signals.indicators import indicator_flags
from tongtui.supervision.signals.integrity import evidence_reuse_flags, task_flags
from tongtui.supervision.signals.repeats import ReportText, check, repeat_flags
from tongtui.supervision.signals.texts import Phrase, number
from tongtui.supervision.signals.textsim import near_duplicate_flags

CONTENT = ("progress", "done", "next_steps")
EVIDENCE_WINDOW = datetime.timedelta(days=31)


def _end_of(day: datetime.date) -> datetime.datetime:
    moment = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(moment)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


@dataclass
class Run:
    plan: Plan
    as_of: datetime.date
    flags: list[Flag]
    facts: list[TaskFacts]


def _edits(task_ids: Any, end: datetime.datetime) -> dict[int, datetime.datetime]:
    """The last change to a filed report's content while it stayed filed (not through a return)."""
    hist = ProgressReport.history.model.objects.filter(  # type: ignore[attr-defined]
        task_id__in=task_ids, history_date__lt=end
    ).order_by("id", "history_date", "history_id")
    edited: dict[int, datetime.datetime] = {}
    prev: dict[str, Any] | None = None
    for row in hist.values("id", "history_date", "status", *CONTENT).iterator(chunk_size=5000):
        if prev is not None and prev["id"] == row["id"]:
            changed = any(prev[f] != row[f] for f in CONTENT)
            if changed and prev["status"] in FILED and row["status"] in FILED:
                edited[row["id"]] = row["history_date"]
        prev = row
    return edited


def _reports(plan: Plan, as_of: datetime.date) -> dict[int, list[ReportFact]]:
    end = _end_of(as_of)
    task_ids = Task.objects.filter(plan=plan).values("pk")
    rows = ProgressReport.objects.filter(
        task_id__in=task_ids, status__in=FILED, first_submitted_at__lt=end
    ).values_list(
        "id", "task_id", "unit_id", "period_end", "progress", "first_submitted_at", "done", "next_steps"
    ).order_by("task_id", "-period_end")  # each task's newest first, without the model ordering's join and sort
    hashes: dict[int, list[str]] = defaultdict(list)
    for rid, sha in Attachment.objects.filter(report__task_id__in=task_ids, uploaded_at__lt=end).values_list(
        "report_id", "sha256"
    ):
        hashes[rid].append(sha)
    edits = _edits(task_ids, end)
    out: dict[int, list[ReportFact]] = defaultdict(list)
    for rid, tid, unit_id, period_end, progress, first, done, next_steps in rows.iterator(chunk_size=5000):
        out[tid].append(
            ReportFact(
                period_end=period_end,
                progress=None if progress is None else float(progress),
                submitted_at=_local(first),
                text="\n".join(t for t in (done, next_steps) if t),
                evidence_hashes=tuple(hashes.get(rid, ())),
                edited_at=_local(edits.get(rid)),
                report_id=rid,
                task_id=tid,
                unit_id=unit_id,
            )
        )
    return out


def _indicators(plan: Plan, as_of: datetime.date, units: dict[int, int | None]) -> list[IndicatorFact]:
    values: dict[int, dict[datetime.date, float]] = defaultdict(dict)
    reported = ReportIndicatorValue.objects.filter(
        indicator__task__plan=plan,
        report__status__in=FILED,
        report__first_submitted_at__lt=_end_of(as_of),
    ).values_list("indicator_id", "report__period_end", "value")
    for iid, period, value in reported:
        values[iid][period] = float(value)
    entered = IndicatorValue.objects.filter(indicator__task__plan=plan, period__lte=as_of)
    for iid, period, value in entered.values_list("indicator_id", "period", "value"):
        values[iid][period] = float(value)
    out = []
    rows = Indicator.objects.filter(task__plan=plan).values_list(
        "id", "task_id", "name", "baseline", "target", "direction"
    )
    for iid, tid, name, baseline, target, direction in rows:
        out.append(
            IndicatorFact(
                target=float(target),
                direction=direction,
                baseline=None if baseline is None else float(baseline),
                values=tuple(sorted(values.get(iid, {}).items())),
                indicator_id=iid,
                task_id=tid,
                unit_id=units.get(tid),
                name=name,
            )
        )
    return out


def _with_reports(facts: TaskFacts, reports: tuple[ReportFact, ...]) -> TaskFacts:
    """The task's reports, and its milestones' evidence: a milestone has none of its own, so one done on a day
    counts as evidenced when a report with evidence covers that day or the month before it."""
    with_files = [r.period_end for r in reports if r.evidence_hashes]
    milestones = tuple(
        replace(m, has_evidence=any(end >= m.done_on - EVIDENCE_WINDOW for end in with_files))
        if m.evidence_required and m.done_on is not None
        else m
        for m in facts.milestones
    )
    return replace(facts, reports=reports, milestones=milestones)


TEXT_FIELDS = (
    "id", "task_id", "unit_id", "period_start", "period_end", "first_submitted_at", "done", "next_steps", "status",
    "imported",
)  # fmt: skip


def _text(row: tuple[Any, ...]) -> ReportText:
    rid, tid, unit_id, start, end, first, done, next_steps, status, imported = row
    return ReportText(
        rid,
        tid,
        unit_id,
        start,
        end,
        _local(first),
        done,
        next_steps,
        filed=status in FILED,
        imported=imported,
    )


def _texts(plan: Plan, as_of: datetime.date) -> list[ReportText]:
    """Every report of the plan sent in by the end of `as_of` (returned ones too: the form pre-fills from them)."""
    rows = ProgressReport.objects.filter(task__plan=plan, first_submitted_at__lt=_end_of(as_of)).exclude(
        status=ReportStatus.DRAFT
    )
    return [_text(row) for row in rows.values_list(*TEXT_FIELDS).iterator(chunk_size=5000)]


def _without_double_copies(flags: list[Flag]) -> list[Flag]:
    """A report flagged as last period's with only the figures changed is not flagged again as repeating that
    same report: one flag, the one that says what changed."""
    pairs = {
        (f.report_id, f.figures.get("other_report")) for f in flags if f.kind == FlagKind.FIGURES_CHANGED_ONLY
    }
    return [
        f
        for f in flags
        if not (f.kind == FlagKind.TEXT_REPEATS_OWN and (f.report_id, f.figures.get("other_report")) in pairs)
    ]


def run_integrity(plan: Plan, as_of: datetime.date | None = None) -> Run:
    """Every integrity flag of the plan's tasks, using only what was known at the end of `as_of`."""
    as_of = as_of or timezone.localdate()
    ids = list(Task.objects.filter(plan=plan).values_list("pk", flat=True))
    loaded = load_facts(ids, as_of, include_recorded=False)
    reports = _reports(plan, as_of)
    facts = [_with_reports(f, tuple(reports.get(f.task_id, ()))) for f in loaded.facts]
    flags: list[Flag] = []
    for f in facts:
        flags.extend(task_flags(f, as_of))
    by_task = {f.task_id: f for f in facts}
    for ind in _indicators(plan, as_of, {f.task_id: f.unit_id for f in facts}):
        task = by_task.get(ind.task_id or 0)
        flags.extend(indicator_flags(ind, task.reports if task else (), as_of))
    every = [r for f in facts for r in f.reports]
    flags.extend(evidence_reuse_flags(every, as_of))
    flags.extend(near_duplicate_flags(every, as_of))
    flags.extend(repeat_flags(_texts(plan, as_of), as_of))
    flags = _without_double_copies(flags)
    flags.sort(key=lambda f: (-f.strength, f.task_id or 0, f.kind.value, f.report_id or 0))
    return Run(plan, as_of, flags, facts)


def fingerprint(flag: Flag) -> str:
    extra = flag.figures.get("indicator_id") or flag.figures.get("milestone_id") or ""
    period = flag.period.isoformat() if flag.period else ""
    return f"{flag.kind.value}:{flag.task_id}:{flag.report_id or ''}:{period}:{extra}"[:120]


def json_figures(figures: dict[str, Any]) -> dict[str, Any]:
    def one(v: Any) -> Any:
        if isinstance(v, Phrase | datetime.date):
            return number(v)
        if isinstance(v, list | tuple):
            return [one(x) for x in v]
        return v

    return {k: one(v) for k, v in figures.items()}


def _values(flag: Flag, as_of: datetime.date, now: datetime.datetime) -> dict[str, Any]:
    return {
        "kind": flag.kind.value,
        "task_id": flag.task_id,
        "unit_id": flag.unit_id,
        "report_id": flag.report_id,
        "period": flag.period,
        "strength": flag.strength,
        "figures": json_figures(flag.figures),
        "reason": flag.text("zh-hans"),
        "reason_en": flag.text("en"),
        "as_of": as_of,
        "computed_at": now,
    }


@transaction.atomic
def store(run: Run, *, prune: bool = True) -> dict[str, int]:
    """Insert new flags, refresh those seen again (keeping the office's verdict), and with `prune` drop flags
    still waiting for verification that are no longer raised."""
    now = timezone.now()
    existing = {f.fingerprint: f for f in IntegrityFlag.objects.filter(plan=run.plan)}
    seen: set[str] = set()
    new, changed = [], []
    for flag in run.flags:
        if flag.task_id is None:
            continue
        fp = fingerprint(flag)
        if fp in seen:
            continue
        seen.add(fp)
        values = _values(flag, run.as_of, now)
        row = existing.get(fp)
        if row is None:
            new.append(IntegrityFlag(plan=run.plan, fingerprint=fp, **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    IntegrityFlag.objects.bulk_create(new, batch_size=1000)
    IntegrityFlag.objects.bulk_update(changed, list(values_fields()), batch_size=1000)
    gone = [row.pk for fp, row in existing.items() if fp not in seen and row.status == FlagStatus.NEW]
    if prune and gone:
        IntegrityFlag.objects.filter(pk__in=gone).delete()
    return {"new": len(new), "updated": len(changed), "removed": len(gone) if prune else 0}


def values_fields() -> Sequence[str]:
    return (
        "kind", "unit_id", "report_id", "period", "strength", "figures", "reason", "reason_en", "as_of",
        "computed_at",
    )  # fmt: skip


def refresh_plan(plan: Plan, as_of: datetime.date | None = None) -> dict[str, int]:
    """Compute and store a plan's flags (the worker runs this daily; the office can run it any time)."""
    run = run_integrity(plan, as_of)
    return store(run, prune=as_of is None or as_of >= timezone.localdate())


def task_codes(ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """Code, title and lead unit's short name of each task, in one query (for exports)."""
    rows = Task.objects.filter(pk__in=list(ids)).values_list(
        "pk", "code", "title", "lead_unit__short_name", "lead_unit__name"
    )
    return {pk: (code, title, short or name or "") for pk, code, title, short, name in rows}


REPEAT_KINDS = (FlagKind.SAME_AS_PREFILL.value, FlagKind.FIGURES_CHANGED_ONLY.value)


@transaction.atomic
def flag_repeat(report_id: int) -> IntegrityFlag | None:
    """At submission: flag the report if it was sent in as last period's (the form warned first), or drop such
    a flag still waiting for verification once a corrected text is sent in. Keyed by the same fingerprint as the
    daily job's, so submitting twice (or the job running after) never makes a second flag."""
    report = (
        ProgressReport.objects.filter(pk=report_id).values("task_id", "task__plan_id", "period_end").first()
    )
    if report is None:
        return None
    rows = ProgressReport.objects.filter(
        task_id=report["task_id"], period_end__lte=report["period_end"], first_submitted_at__isnull=False
    ).exclude(status=ReportStatus.DRAFT)
    texts = [_text(row) for row in rows.values_list(*TEXT_FIELDS)]
    me = next((t for t in texts if t.report_id == report_id), None)
    flag = check(me, texts) if me is not None else None
    plan_id = report["task__plan_id"]
    stale = IntegrityFlag.objects.filter(
        plan_id=plan_id, report_id=report_id, kind__in=REPEAT_KINDS, status=FlagStatus.NEW
    )
    if flag is None:
        stale.delete()
        return None
    fp = fingerprint(flag)
    stale.exclude(fingerprint=fp).delete()
    values = _values(flag, timezone.localdate(), timezone.now())
    row, created = IntegrityFlag.objects.get_or_create(plan_id=plan_id, fingerprint=fp, defaults=values)
    if not created:
        IntegrityFlag.objects.filter(pk=row.pk).update(**values)  # the office's verdict stays
    return row
