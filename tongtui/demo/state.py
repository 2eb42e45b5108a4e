"""Bring the demo plan to today: assignment, acknowledgement, monthly progress, milestones, closures.

Each task runs on its own clock: its progress at a date is the planned trajectory (start at 0, then its
milestones' planned progress, linear in between) read at a warped time, start + (date - start) * speed.
A task on track has speed near 1, a lagging one well below, one ahead above. Milestones are done on the
day the warped clock passes them, so the roadmap and the reported progress tell the same story.
"""

import copy
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tongtui.demo import reports
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.demo.tasks import Spec
from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles
from tongtui.plans import actions
from tongtui.plans.models import Indicator, Milestone, Task

DAY = datetime.timedelta(days=1)


@dataclass
class Track:
    task: Task
    spec: Spec
    milestones: list[Milestone]
    parent: "Track | None" = None
    indicator: Indicator | None = None
    profile: str = ""
    speed: float = 1.0
    close_on: datetime.date | None = None
    children: list["Track"] = field(default_factory=list)

    def planned(self, day: datetime.date) -> float:
        """Planned progress at a date: linear between the start (0) and each milestone."""
        start = self.task.start
        assert start is not None
        points = [(start, 0.0)] + [(m.due, float(m.planned_progress)) for m in self.milestones]
        if day <= start:
            return 0.0
        for (d0, p0), (d1, p1) in zip(points, points[1:], strict=False):
            if day <= d1:
                span = (d1 - d0).days or 1
                return p0 + (p1 - p0) * (day - d0).days / span
        return points[-1][1]

    def warped(self, day: datetime.date) -> datetime.date:
        start = self.task.start
        assert start is not None
        return start + datetime.timedelta(days=int(max(0, (day - start).days) * self.speed))

    def actual(self, day: datetime.date) -> float:
        value = self.planned(self.warped(day))
        return value if self.profile == "closed" else min(value, 95.0)


def simulate(
    tracks: list[Track], org: Org, *, year: int, today: datetime.date, by: Any, rng: random.Random
) -> reports.Story:
    as_of = min(max(today, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))
    for track in tracks:
        if track.parent:
            track.parent.children.append(track)
    for track in tracks:
        _choose_profile(track, as_of, rng)
    parents = [t for t in tracks if t.children]
    story = reports.story_for(tracks, year=year, as_of=as_of)
    people = reports.filers(org, by=by)
    for track in parents:
        with at(_handed_out(track)):
            actions.assign_task(track.task, by=by)
            _acknowledge(track, org, by=by, rng=rng, co_share=1.0)
    for track in tracks:
        if not track.children and track.profile != "draft":
            _run(track, org, as_of, by=by, rng=rng, story=story, people=people)
    for track in parents:
        with at(as_of, 8):
            _report_parent(track, as_of, by=by, rng=rng)
    story.people = people
    return story


def _handed_out(track: Track) -> datetime.date:
    """The day the office handed the task out: a few days before it starts, never before the plan year."""
    start = track.task.start
    assert start is not None
    return max(start - 3 * DAY, datetime.date(start.year, 1, 5)) if start.month > 1 else start + 4 * DAY


def _choose_profile(track: Track, as_of: datetime.date, rng: random.Random) -> None:
    task = track.task
    assert task.start is not None and task.due is not None
    pinned = track.spec.state if not track.parent else ""
    if pinned in ("draft", "suspended", "fresh"):
        track.profile = pinned
    elif task.start > as_of:
        track.profile = "fresh"
    elif pinned == "lagging" or (not pinned and rng.random() < 0.12):
        track.profile, track.speed = "lagging", rng.uniform(0.72, 0.88)
    elif task.due < as_of or pinned == "closed":
        track.profile = "closed"
        track.close_on = min(task.due - rng.randint(0, 6) * DAY, as_of - 3 * DAY)
        track.speed = (task.due - task.start).days / max(1, (track.close_on - task.start).days)
    elif rng.random() < 0.15:
        track.profile, track.speed = "ahead", rng.uniform(1.08, 1.25)
    else:
        track.profile, track.speed = "on_track", rng.uniform(0.97, 1.04)


def _acting_for(person_id: int, unit_id: int, by: Any) -> Any:
    """The system account acting on behalf of a unit's liaison, so that 签收 can be recorded.

    History names the system account; the acknowledgement names the liaison.
    """
    proxy = copy.copy(by)
    proxy._tongtui_roles = Roles(person_id=person_id, by_unit={unit_id: frozenset({Role.LIAISON})})
    return proxy


def _acknowledge(track: Track, org: Org, *, by: Any, rng: random.Random, co_share: float = 0.9) -> None:
    task = track.task
    assert task.lead_unit is not None
    lead = task.lead_unit
    actions.acknowledge_task(task, by=_acting_for(org.liaisons[lead.label].pk, lead.pk, by), unit=lead)
    for link in task.co_unit_links.select_related("unit"):
        if rng.random() < co_share:
            unit = link.unit
            actions.acknowledge_task(
                task, by=_acting_for(org.liaisons[unit.label].pk, unit.pk, by), unit=unit
            )


def _report_days(start: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The 25th of each month after the start, up to a date: the monthly report deadline."""
    days: list[datetime.date] = []
    month, year = start.month, start.year
    while True:
        day = datetime.date(year, month, 25)
        if day > until:
            return days
        if (day - start).days >= 10:
            days.append(day)
        month, year = (1, year + 1) if month == 12 else (month + 1, year)


def _run(
    track: Track,
    org: Org,
    as_of: datetime.date,
    *,
    by: Any,
    rng: random.Random,
    story: reports.Story,
    people: reports.Filers,
) -> None:
    task, profile = track.task, track.profile
    assert task.start is not None
    with at(min(_handed_out(track), as_of)):
        actions.assign_task(task, by=by)
        if profile == "fresh":
            return
        _acknowledge(track, org, by=by, rng=rng)
    until = as_of
    if profile == "suspended":
        until = task.start + datetime.timedelta(days=140)
    elif profile == "closed":
        assert track.close_on is not None
        until = track.close_on
    skip_last = profile == "lagging" and rng.random() < 0.5
    claimed = reports.file_reports(track, story, people, until=until, rng=rng, skip_last=skip_last)
    if profile == "closed":
        assert track.close_on is not None
        with at(track.close_on, 10):
            _mark_milestones(track, until, by=by, rng=rng, claimed=claimed)
            actions.record_progress(
                task,
                by=by,
                progress=Decimal(100),
                on=track.close_on,
                note="全部工作任务已完成,佐证材料已上传,申请销号。",
            )
            actions.request_completion(task, by=by, note="已完成全部目标任务,申请销号。")
        if track.spec.state != "requested":
            closed = track.close_on + rng.randint(1, 3) * DAY
            with at(closed, 10):
                actions.close_task(task, by=by, on=closed, reason="经督查室核验,目标任务已完成,同意销号。")
    elif profile == "suspended":
        with at(until, 10):
            actions.suspend_task(
                task, by=by, reason="因规划调整,项目选址需重新论证,经区政府研究同意暂缓实施。"
            )


def _mark_milestones(
    track: Track, until: datetime.date, *, by: Any, rng: random.Random, claimed: set[int]
) -> None:
    """At closing: the milestones no report claimed (the last one, which needs evidence) are marked done on
    the day the task's own clock reaches their due date."""
    start = track.task.start
    assert start is not None
    for milestone in track.milestones:
        if milestone.pk in claimed:
            continue
        day = start
        while day <= until and track.warped(day) < milestone.due:
            day += DAY
        if day > until and track.profile == "closed":
            day = until
        if day <= until:
            actions.update_milestone(milestone, by=by, done_on=day, reason="节点完成")


def _report_parent(track: Track, as_of: datetime.date, *, by: Any, rng: random.Random) -> None:
    """A district task split across towns: its progress rolls up from the towns' sub-tasks."""
    task = track.task
    days = _report_days(task.start, as_of)  # type: ignore[arg-type]
    if not days:
        return
    task.refresh_from_db(fields=["progress"])
    towns = "、".join(c.task.lead_unit.label for c in track.children if c.task.lead_unit)
    note = f"{towns}分别推进,汇总进度{task.progress:.0f}%。" + _lagging_children(track)
    actions.record_progress(task, by=by, progress=task.progress, note=note, on=days[-1])
    for milestone in track.milestones:
        if milestone.due <= as_of and task.progress >= milestone.planned_progress:
            actions.update_milestone(milestone, by=by, done_on=milestone.due - rng.randint(0, 5) * DAY)


def _lagging_children(track: Track) -> str:
    late = [c.task.lead_unit.label for c in track.children if c.profile == "lagging" and c.task.lead_unit]
    return f"其中{'、'.join(late)}进度滞后,已督促加快推进。" if late else "各镇街均按计划推进。"
