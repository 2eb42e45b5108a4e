"""Each role's home: the piles of work that wait for the person, most urgent first, role by role.

Assembles the loaders of the apps that own each kind of work (dispatch, supervision); each loader costs a
fixed number of queries, so a home costs a fixed number whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tongtui.collaboration import waiting as collaboration_waiting
from tongtui.core.piles import Pile
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import waiting as dispatch_waiting
from tongtui.home.cockpit import Cockpit, build
from tongtui.orgs.models import Role
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.publicity.access_practices import featured
from tongtui.supervision import waiting as supervision_waiting


@dataclass
class Section:
    key: str  # liaison, unit_head, office, leader
    title: str
    piles: list[Pile] = field(default_factory=list)
    note: str = ""
    rates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Home:
    sections: list[Section]
    cockpit: Cockpit | None = None
    practices: list[Any] = field(default_factory=list)  # the latest published practices (publicity, featured)

    @property
    def waiting(self) -> int:
        return sum(p.count for s in self.sections for p in s.piles)


def _urgent_first(piles: list[Pile]) -> list[Pile]:
    return sorted(piles, key=lambda p: (p.urgent == 0, p.count == 0))


def home_for(user: Any, plan: Plan | None, today: datetime.date, cal: WorkCalendar) -> Home:
    roles = roles_of(user)
    plan_id = plan.pk if plan is not None else None
    sections: list[Section] = []
    shown: set[tuple[str, frozenset[int]]] = set()

    def once(key: str, units: set[int]) -> bool:
        mark = (key, frozenset(units))
        if mark in shown:
            return False
        shown.add(mark)
        return True

    liaison_units = roles.units_with(Role.LIAISON)
    if liaison_units:
        reports, contributions = dispatch_waiting.report_piles(user, today, cal)
        orders, chases = supervision_waiting.orders_and_chases(user, liaison_units, today, cal)
        piles = [
            reports,
            contributions,
            dispatch_waiting.acknowledge_pile(liaison_units, today, cal),
            orders,
            chases,
            *collaboration_waiting.unit_piles(liaison_units, None, today, cal),
        ]
        for p in piles:
            once(p.key, liaison_units)
        sections.append(Section("liaison", _("Your unit's reports and replies"), _urgent_first(piles)))

    head_units = roles.units_with(Role.UNIT_HEAD)
    if head_units:
        piles = [dispatch_waiting.sign_off_pile(user, today, cal)]
        if once("acknowledge", head_units):
            piles.append(dispatch_waiting.acknowledge_pile(head_units, today, cal))
        piles.append(supervision_waiting.unit_lights(head_units, plan_id))
        if once("orders", head_units):
            piles.extend(supervision_waiting.orders_and_chases(user, head_units, today, cal))
        if once("instructions", head_units):
            piles.extend(collaboration_waiting.unit_piles(head_units, None, today, cal))
        rates = dispatch_waiting.on_time_rates(plan_id, head_units)
        sections.append(Section("unit_head", _("Your unit, as its head"), _urgent_first(piles), rates=rates))

    if roles.is_office:
        piles = [
            dispatch_waiting.review_pile(user, today, cal),
            dispatch_waiting.late_reports_by_unit(today, cal, plan_id),
            supervision_waiting.new_flags(user, plan_id),
            supervision_waiting.past_deadline(user, today),
            dispatch_waiting.requests_pile(user, today, cal),
            collaboration_waiting.instructions_overdue(today, cal),
            collaboration_waiting.requests_overdue(today, cal),
        ]
        sections.append(Section("office", _("Supervision office"), _urgent_first(piles)))

    if roles.is_leader:
        piles = [
            collaboration_waiting.replies_to_read(roles.person_id, today, cal),
            collaboration_waiting.requests_asked_of(set(), roles.person_id, today, cal),
        ]
        sections.append(Section("leader_instructions", _("Your instructions and requests to you"), piles))

    cockpit = None
    if roles.is_leader and plan is not None:
        cockpit = build(user, plan, today, cal, leader_id=roles.person_id)
    # Reading publicity from home is a top-floor exception, like the calendar feeds on 我的账号.
    return Home(sections, cockpit, practices=featured(user))
