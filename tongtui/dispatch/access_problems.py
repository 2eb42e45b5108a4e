"""Read scope for problems and dispatch meetings. Hidden and missing look the same (404).

A problem is seen by the unit that raised it, the unit or leader it is addressed to, the office and the
leaders. A meeting is seen by the office and the leaders, and by the units a decision of it names.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from tongtui.dispatch.models import Decision, Meeting, Problem
from tongtui.orgs.roles import roles_of


def problems_visible_to(user: Any, qs: QuerySet[Problem] | None = None) -> QuerySet[Problem]:
    qs = Problem.objects.all() if qs is None else qs
    roles = roles_of(user)
    if roles.sees_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    mine = Q(unit_id__in=roles.unit_ids) | Q(addressed_unit_id__in=roles.unit_ids)
    if roles.person_id is not None:
        mine |= Q(addressed_leader_id=roles.person_id)
    return qs.filter(mine)


def get_problem_for(user: Any, pk: Any) -> Problem:
    try:
        return (
            problems_visible_to(user)
            .select_related(
                "task", "unit", "addressed_unit", "addressed_leader", "report", "raised_by__person"
            )
            .get(pk=pk)
        )
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such problem") from None


def problems_addressed_to(user: Any) -> QuerySet[Problem]:
    """The problems the user is to answer: to the user's units, to the user as leader, to the office."""
    roles = roles_of(user)
    if not user.is_authenticated:
        return Problem.objects.none()
    q = Q(addressed_unit_id__in=roles.unit_ids, addressed_to="unit")
    if roles.person_id is not None:
        q |= Q(addressed_leader_id=roles.person_id, addressed_to="leader")
    if roles.is_office:
        q |= Q(addressed_to="office")
    return Problem.objects.filter(q)


def meetings_visible_to(user: Any, qs: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.all() if qs is None else qs
    roles = roles_of(user)
    if roles.sees_all:
        return qs
    if not user.is_authenticated or not roles.unit_ids:
        return qs.none()
    named = Decision.objects.filter(Q(lead_unit_id__in=roles.unit_ids) | Q(co_units__in=roles.unit_ids))
    return qs.filter(pk__in=named.values("meeting_id"))


def get_meeting_for(user: Any, pk: Any) -> Meeting:
    try:
        return meetings_visible_to(user).select_related("plan", "chair", "category", "leader").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting") from None


def sees_whole_meeting(user: Any) -> bool:
    """The agenda and the pack name every unit's lag: the office and the leaders only."""
    return roles_of(user).sees_all
