"""Monthly progress reports of the demo plan, written by the lead unit's liaison and taken through the real
report actions: draft, milestone claims, submission (some late), the head's sign-off, the office's
acceptance (which records the task's progress) and, now and then, a return and a resubmission.

The last period due before today is left in every state: not started, draft, submitted, signed off,
returned, accepted.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.dispatch import actions as reports
from tongtui.dispatch import actions_milestones, schedule
from tongtui.dispatch.schedule import DueRule, Period
from tongtui.orgs import actions as org_actions
from tongtui.plans.models import Indicator, Milestone

if TYPE_CHECKING:
    from tongtui.demo.state import Track

DUE_DAY = 25
LOGIN_UNITS = ("区发改局", "东湖镇")  # the demo liaison's and the town liaison's units: reports left due
OPENERS = ("截至{m}月{d}日,", "{m}月份,", "本月以来,", "{m}月,我单位")
ACTIONS = (
    "召开专题推进会{n}次,研究解决具体问题",
    "开展现场调度{n}次,逐项压实责任",
    "会同配合单位开展联合督导{n}次",
    "组织业务培训{n}场次",
    "对接服务企业和项目{n}家(个)",
    "梳理形成问题清单和责任清单,逐项销号推进",
    "建立周调度、月通报工作机制",
)
NEXT = (
    "倒排工期、挂图作战",
    "加大调度频次,强化要素保障",
    "加强与配合单位的沟通协调",
    "紧盯时间节点,压茬推进",
    "强化跟踪问效,及时协调解决困难问题",
)
LAG_REASONS = (
    "征地拆迁协调难度较大",
    "上级资金尚未拨付到位",
    "用地手续尚未办结",
    "招标程序延迟",
    "设计方案调整",
    "配套管线迁改进展缓慢",
)
MATTERS = (
    "用地报批",
    "施工用水用电",
    "资金拨付",
    "管线迁改",
    "设备采购",
    "人员调配",
    "审批衔接",
    "群众诉求",
    "材料供应",
    "跨部门数据共享",
)
STUCK_TEXT = "主体工作已基本完成,目前正在进行扫尾和验收准备工作,各项资料正在整理完善。"
RETURN_REASONS = (
    "进度数据与上月台账不一致,请核实后重新报送。",
    "完成情况表述过于笼统,请补充具体工作量和节点完成情况。",
)


@dataclass
class Filers:
    """Who writes, signs off and accepts: the users of each unit's liaison and head, and the office."""

    liaison: dict[int, Any]
    head: dict[int, Any]
    office: Any


@dataclass
class Story:
    """What the reports across tasks share: the periods, the planted near-copies and the stuck task."""

    periods: list[Period]
    as_of: datetime.date
    cal: WorkCalendar
    copy_units: set[int] = field(default_factory=set)
    stuck_task: int | None = None
    returns: set[tuple[int, int]] = field(default_factory=set)  # (task id, month) returned once
    texts: dict[tuple[int, datetime.date], str] = field(default_factory=dict)
    seen_login_units: dict[int, int] = field(default_factory=dict)
    current_returned: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    people: Filers | None = None


def filers(org: Org, *, by: Any) -> Filers:
    """Each unit's liaison and head act through a user of their own: a login for the demo accounts, an
    inactive account without a usable password for everyone else."""
    User = get_user_model()
    liaison: dict[int, Any] = {}
    head: dict[int, Any] = {}
    for index, (short, unit) in enumerate(org.units.items()):
        for role, people, found in (("liaison", org.liaisons, liaison), ("head", org.heads, head)):
            person = people.get(short)
            if person is None:
                continue
            if person.user_id is None:
                user, _created = User.objects.get_or_create(
                    username=f"demo-{index:02d}-{role}", defaults={"is_active": False}
                )
                user.set_unusable_password()
                user.is_active = False
                user.first_name = person.name
                user.save()
                for other in type(person).objects.filter(user=user).exclude(pk=person.pk):
                    org_actions.update_person(other, by=by, user=None, reason="demo account moved")
                org_actions.update_person(person, by=by, user=user, reason="demo account")
            found[unit.pk] = User.objects.get(person=person)
    office_person = next(p for p in org.office if p.user_id)
    return Filers(liaison=liaison, head=head, office=User.objects.get(person=office_person))


def story_for(tracks: list["Track"], *, year: int, as_of: datetime.date) -> Story:
    cal = calendar()
    periods = schedule.schedule(year, schedule.MONTHLY, DueRule(schedule.DAY_OF_MONTH, DUE_DAY), cal)
    story = Story(periods=periods, as_of=as_of, cal=cal)
    leaves = [t for t in tracks if not t.children and t.profile in ("on_track", "ahead", "lagging")]
    by_unit: dict[int, list[Track]] = {}
    for track in leaves:
        unit = track.task.lead_unit
        if unit is not None and unit.short_name not in LOGIN_UNITS:
            by_unit.setdefault(unit.pk, []).append(track)
    # two units that reuse one task's wording for another: near-copies for the integrity flags
    shared = sorted((u for u, ts in by_unit.items() if len(ts) >= 2), key=lambda u: -len(by_unit[u]))
    story.copy_units = set(shared[:2])
    stuck = [
        t
        for t in leaves
        if t.profile == "on_track"
        and t.task.lead_unit_id not in story.copy_units
        and t.task.due
        and t.task.due.month == 12
        and t.task.start
        and t.task.start.month == 1
    ]
    if stuck:
        story.stuck_task = stuck[len(stuck) // 2].task.pk
    on_track = [t for t in leaves if t.profile == "on_track" and t.task.pk != story.stuck_task]
    for track, month in zip(on_track[3::17][:2], (6, 9), strict=False):
        story.returns.add((track.task.pk, month))
    return story


def _done_days(track: "Track", until: datetime.date) -> dict[int, datetime.date]:
    """The day the task's own clock reaches each milestone (claimable ones: planned below 100 %)."""
    start = track.task.start
    assert start is not None
    days: dict[int, datetime.date] = {}
    for milestone in track.milestones:
        if float(milestone.planned_progress) >= 100:
            continue
        day = start
        while day <= until and track.warped(day) < milestone.due:
            day += datetime.timedelta(days=1)
        if day <= until:
            days[milestone.pk] = day
    return days


def file_reports(
    track: "Track", story: Story, people: Filers, *, until: datetime.date, rng: random.Random, skip_last: bool
) -> set[int]:
    """File the task's monthly reports up to `until`; returns the milestones claimed and accepted."""
    task = track.task
    assert task.start is not None and task.lead_unit_id is not None
    unit = task.lead_unit_id
    periods = [p for p in story.periods if (p.due - task.start).days >= 10 and p.due <= until]
    if skip_last and len(periods) > 2:
        periods = periods[:-1]  # the lagging unit missed its last report
    done_days = _done_days(track, story.as_of)
    claimed: set[int] = set()
    last = 0
    # a task on track a few days behind its own clock still reports the month's milestone as done
    slack = datetime.timedelta(days=0 if track.profile == "lagging" else 12)
    for period in periods:
        current = until == story.as_of and (story.as_of - period.due).days < 20
        fate = _fate(track, story, rng) if current else "accepted"
        if fate == "none":
            _count(story, "not started")
            continue
        late = rng.random() < (0.3 if track.profile == "lagging" else 0.05)
        day = story.cal.add_workdays(period.due, rng.randint(1, 4) if late else -rng.randint(0, 2))
        day = min(day, story.as_of)
        value = max(last, round(track.actual(day)))
        if task.pk == story.stuck_task and period.end.month >= 6:
            value = 90
        last = value
        claims = [
            m
            for m in track.milestones
            if m.pk not in claimed
            and m.pk in done_days
            and done_days[m.pk] <= max(day, period.end) + slack  # done by the end of the month it reports on
            and m.due <= period.end
        ]
        with at(day, 9 + rng.randint(0, 2), rng.randint(0, 59)):
            report = reports.start_or_get_draft(task, period, by=people.liaison[unit])
            fields = _text(track, story, period, day, value, claims, rng)
            reports.save_draft(report, by=people.liaison[unit], version=None, **fields)
            if claims:
                actions_milestones.claim_milestones(
                    report, by=people.liaison[unit], milestone_ids=[m.pk for m in claims]
                )
            if fate == "draft":
                _count(story, "draft")
                continue
            reports.submit_report(report, by=people.liaison[unit])
        if fate == "submitted":
            _count(story, "submitted")
            continue
        with at(day, 15, rng.randint(0, 59)):
            reports.sign_off(report, by=people.head[unit])
        review_day = min(story.cal.add_workdays(day, 1), story.as_of)
        if fate == "returned" or (task.pk, period.end.month) in story.returns:
            with at(review_day, 10, rng.randint(0, 59)):
                reports.return_report(report, by=people.office, reason=rng.choice(RETURN_REASONS))
            if fate == "returned":
                _count(story, "returned")
                continue
            _count(story, "returned then resubmitted")
            day = story.cal.add_workdays(review_day, 1)
            with at(day, 11, rng.randint(0, 59)):
                report.refresh_from_db()
                fields["done"] += "其中本月新增完成工作量已按台账逐项核实。"
                reports.save_draft(report, by=people.liaison[unit], version=None, done=fields["done"])
                reports.submit_report(report, by=people.liaison[unit])
            with at(day, 16, rng.randint(0, 59)):
                reports.sign_off(report, by=people.head[unit])
            review_day = story.cal.add_workdays(day, 1)
        if fate == "signed_off":
            _count(story, "signed off")
            continue
        with at(review_day, 14, rng.randint(0, 59)):
            reports.accept_report(report, by=people.office)
        _count(story, "accepted late" if report.late_workdays else "accepted")
        claimed.update(m.pk for m in claims)
    return claimed


def _count(story: Story, key: str) -> None:
    story.counts[key] = story.counts.get(key, 0) + 1


def _fate(track: "Track", story: Story, rng: random.Random) -> str:
    """The report of the period just due: in every state; the login units keep some of theirs due."""
    unit = track.task.lead_unit
    assert unit is not None
    if unit.short_name in LOGIN_UNITS:
        seen = story.seen_login_units.get(unit.pk, 0)
        story.seen_login_units[unit.pk] = seen + 1
        order = ("none", "draft", "submitted", "signed_off", "none")
        if seen < len(order):
            return order[seen]
    if not story.current_returned and track.profile == "on_track":
        story.current_returned = True
        return "returned"
    r = rng.random()
    if r < 0.2:
        return "none"
    if r < 0.3:
        return "draft"
    if r < 0.5:
        return "submitted"
    return "signed_off"  # none accepted yet: acceptance would date the progress at the period's end


def _text(
    track: "Track",
    story: Story,
    period: Period,
    day: datetime.date,
    value: int,
    claims: list[Milestone],
    rng: random.Random,
) -> dict[str, Any]:
    """What a liaison writes: done this period, next steps, problems and confidence, in varying wording."""
    task = track.task
    unit = task.lead_unit_id
    assert unit is not None
    upcoming = [m for m in track.milestones if m.due > period.end]
    confidence = rng.choice((4, 5, 5)) if track.profile != "lagging" else rng.choice((2, 3, 3))
    if task.pk == story.stuck_task and period.end.month >= 6:
        return {
            "progress": Decimal(value),
            "done": STUCK_TEXT,
            "next_steps": "加快扫尾,力争早日完成验收。",
            "problems": "",
            "confidence": 3,
        }
    key = (unit, period.start)
    if unit in story.copy_units and key in story.texts and 6 <= period.end.month <= 10:
        done = story.texts[key].replace("。", ",", 1)  # the same wording as the unit's other task
    else:
        done = _done(track, period, day, value, claims, rng)
        story.texts.setdefault(key, done)
    next_steps = f"下一步,{rng.choice(NEXT)}"
    next_steps += f",确保“{upcoming[0].title}”按期完成。" if upcoming else ",确保全面完成年度目标任务。"
    problems = ""
    behind = track.planned(day) - value
    if track.profile == "lagging" and behind > 5:
        problems = f"受{rng.choice(LAG_REASONS)}影响,进度滞后于计划约{behind:.0f}个百分点。"
        done += "目前进度滞后,已制定赶进度措施。"
    return {
        "progress": Decimal(value),
        "done": done,
        "next_steps": next_steps,
        "problems": problems,
        "confidence": confidence,
    }


def _done(
    track: "Track",
    period: Period,
    day: datetime.date,
    value: int,
    claims: list[Milestone],
    rng: random.Random,
) -> str:
    opener = OPENERS[(track.task.lead_unit_id or 0) % len(OPENERS)].format(m=day.month, d=day.day)
    first = rng.choice(ACTIONS)
    parts = [opener, first.format(n=rng.randint(2, 6))]
    # What is particular to this month (a second measure, the matters settled), drawn from its own stream so
    # the rest of the demo year stays as it was: honest reports share the template, not the whole text.
    own = random.Random(f"{track.task.pk}:{period.start}")
    second = own.choice([a for a in ACTIONS if a != first])
    parts.append("," + second.format(n=own.randint(2, 6)))
    parts.append(f",协调解决{own.choice(MATTERS)}等问题{own.randint(1, 5)}项")
    indicator = track.indicator
    if (
        indicator is not None
        and indicator.baseline == 0
        and indicator.direction == Indicator.Direction.INCREASE
    ):
        reached = indicator.target * Decimal(value) / 100
        whole = (
            indicator.target == indicator.target.to_integral() and indicator.unit_of_measure[:1] not in "万亿"
        )
        shown = f"{int(reached)}" if whole else f"{reached.normalize():f}"[:4].rstrip(".")
        parts.append(f";{indicator.name}累计完成{shown}{indicator.unit_of_measure},占年度目标的{value}%")
    else:
        parts.append(f",总体进度达到{value}%")
    if claims:
        parts.append(",“" + "”“".join(m.title for m in claims) + "”已完成")
    return "".join(parts) + "。"
