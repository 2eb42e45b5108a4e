"""Who sees which scores. The office and leaders see everything; a unit head sees the unit's own score,
breakdown and entries, and the other units' only for a period whose ranking the office has published.
Everyone else (liaisons, viewers, outsiders) gets 404, exactly like a missing page."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from tongtui.assessment.models import RankingPublication
from tongtui.orgs.models import Role
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan


def head_units(user: Any) -> set[int]:
    return roles_of(user).units_with(Role.UNIT_HEAD)


def sees_all(user: Any) -> bool:
    return roles_of(user).sees_all


def may_use(user: Any) -> bool:
    """The 考核 menu entry: office, leaders and unit heads."""
    return sees_all(user) or bool(head_units(user))


def plan_for(user: Any, year: int) -> Plan:
    if not may_use(user):
        raise Http404
    return get_object_or_404(Plan, year=year)


def is_published(plan: Plan, period: str) -> bool:
    return RankingPublication.objects.filter(plan=plan, period=period).exists()


def may_see_ranking(user: Any, plan: Plan, period: str) -> bool:
    return sees_all(user) or (bool(head_units(user)) and is_published(plan, period))


def lists_published(plan: Plan, period: str) -> bool:
    return RankingPublication.objects.filter(plan=plan, period=period, with_lists=True).exists()


def may_see_lists(user: Any, plan: Plan, period: str) -> bool:
    """The red and black lists: the office and leaders always, unit heads once the office published them."""
    return sees_all(user) or (bool(head_units(user)) and lists_published(plan, period))


def require_lists(user: Any, plan: Plan, period: str) -> None:
    if not may_see_lists(user, plan, period):
        raise Http404


def may_see_unit(user: Any, plan: Plan, unit_id: int, period: str) -> bool:
    return sees_all(user) or unit_id in head_units(user) or may_see_ranking(user, plan, period)


def require_ranking(user: Any, plan: Plan, period: str) -> None:
    if not may_see_ranking(user, plan, period):
        raise Http404


def require_unit(user: Any, plan: Plan, unit_id: int, period: str) -> None:
    if not may_see_unit(user, plan, unit_id, period):
        raise Http404


def require_office(user: Any) -> None:
    if not roles_of(user).is_office:
        raise Http404
