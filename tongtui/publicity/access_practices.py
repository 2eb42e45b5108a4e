"""Who sees which practices (典型经验 · 创新举措). A published one: everyone logged in with a unit, the office and
the leaders. One not published (draft, submitted, returned, selected, not adopted): its own unit and the office
only. Anything else is a 404, exactly like a missing practice. Photos follow their practice."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from tongtui.orgs.models import Role
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import CoUnit, Task
from tongtui.publicity.models import Practice, PracticePhoto, PracticeStatus

WRITERS = (Role.LIAISON, Role.UNIT_HEAD)


def practices_visible_to(user: Any, qs: QuerySet[Practice] | None = None) -> QuerySet[Practice]:
    rows = Practice.objects.all() if qs is None else qs
    roles = roles_of(user)
    if roles.is_office:
        return rows
    seen = Q(status=PracticeStatus.PUBLISHED) if roles.sees_all or roles.unit_ids else Q(pk__in=[])
    if roles.unit_ids:
        seen |= Q(unit_id__in=roles.unit_ids)
    return rows.filter(seen)


def get_practice_for(user: Any, pk: Any) -> Practice:
    try:
        return practices_visible_to(user).select_related("unit", "plan").get(pk=pk)
    except (Practice.DoesNotExist, ValueError, TypeError):
        raise Http404("No such practice") from None


def get_photo_for(user: Any, pk: Any) -> PracticePhoto:
    try:
        return PracticePhoto.objects.select_related("practice").get(
            pk=pk, practice__in=practices_visible_to(user).values("pk")
        )
    except (PracticePhoto.DoesNotExist, ValueError, TypeError):
        raise Http404("No such photo") from None


def writer_units(user: Any) -> set[int]:
    """The units whose practices this person writes and submits (as liaison or head)."""
    return roles_of(user).units_with(*WRITERS)


def may_write(user: Any, practice: Practice) -> bool:
    return practice.unit_id in writer_units(user)


def may_review(user: Any) -> bool:
    return roles_of(user).is_office


def tasks_of_unit(unit_id: int) -> QuerySet[Task]:
    """The tasks a unit can see (it leads them or co-operates on them): the only ones it may relate."""
    co = CoUnit.objects.filter(unit_id=unit_id).values("task_id")
    return Task.objects.filter(Q(lead_unit_id=unit_id) | Q(pk__in=co))


def featured(user: Any, n: int = 3) -> list[Practice]:
    """The latest published practices for the home pages (one query), to whoever may read the library."""
    roles = roles_of(user)
    if not (roles.sees_all or roles.unit_ids):
        return []
    rows = Practice.objects.filter(status=PracticeStatus.PUBLISHED).select_related("unit")
    return list(rows.only("pk", "title", "summary", "kind", "published_at", "unit__name")
                .order_by("-published_at", "-pk")[:n])  # fmt: skip
