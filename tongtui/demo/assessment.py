"""The demo plan's assessment and bulletins, through their actions on the demo clock: the office's bonuses
with their reasons, the quarters' rankings and red and black lists published after each quarter, a bulletin
published for each quarter and the last month's left as a draft for the office to edit."""

import datetime
import random
from typing import Any

from tongtui.assessment import actions as scores
from tongtui.assessment.ledger_db import recompute
from tongtui.assessment.rules_data import RuleKind
from tongtui.core.workdays import calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.plans.models import Plan
from tongtui.publicity import actions as bulletins

# (rule, reason) — the office's words; units drawn at random from towns and departments alike
BONUSES = [
    (RuleKind.COMMENDATION, "区委主要领导批示肯定其项目攻坚做法"),
    (RuleKind.INNOVATION, "“一网通办”帮办代办机制被市政务服务办推广"),
    (RuleKind.PRACTICE, "人居环境整治经验在全区现场会上交流"),
    (RuleKind.COMMENDATION, "市级督查组反馈工作成效明显，区政府主要领导表扬"),
    (RuleKind.PRACTICE, "河长制巡河信息化做法被市级简报刊发"),
]


def assess(plan: Plan, org: Org, office: Any, *, today: datetime.date, rng: random.Random) -> dict[str, int]:
    """Bonuses through the year, then each finished quarter published ten working days after its end."""
    cal = calendar()
    units = sorted(org.units.values(), key=lambda u: u.pk)
    made = {"bonuses": 0, "rankings": 0, "bulletins": 0}
    for i, (kind, reason) in enumerate(BONUSES):
        on = datetime.date(plan.year, 2 + 2 * i, 18)
        if on >= today:
            break
        with at(on, 15):
            scores.add_manual_entry(plan, by=office, unit=rng.choice(units), kind=kind, reason=reason, on=on)
        made["bonuses"] += 1
    recompute(plan)
    for q in range(1, 5):
        end = datetime.date(plan.year, 3 * q, 30 if q in (2, 3) else 31)
        out = cal.add_workdays(end, 10)
        if out >= today:
            break
        with at(out, 10):
            scores.publish_ranking(plan, f"{plan.year}-Q{q}", by=office, note="经区考核办审定")
        with at(out, 15):
            b = bulletins.generate(plan, by=office, start=datetime.date(plan.year, 1, 1), as_of=end)
            bulletins.publish(b, by=office)
        made["rankings"] += 1
        made["bulletins"] += 1
    last = (today.replace(day=1) - datetime.timedelta(days=1)) if today.year == plan.year else None
    if last is not None and last.month % 3:  # a month that is not a quarter's end: its draft waits
        with at(today, 9):
            bulletins.generate(plan, by=office, start=last.replace(day=1), as_of=last)
        made["bulletins"] += 1
    return made
