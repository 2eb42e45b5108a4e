"""Read scope for the office's supervision records. Hidden and missing look the same (404).

- Admonitions and rectification orders: the office and leaders see all; a unit's people see their unit's.
- Accountability: the office and leaders only; a unit's people once the office published it to them.
- Integrity flags and spot checks: the office and leaders only (flags rank tasks, they do not accuse).
"""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from tongtui.orgs.roles import roles_of
from tongtui.supervision.models import (
    Accountability,
    Admonition,
    IntegrityFlag,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
    SupervisionFile,
)

M = TypeVar("M", bound=Model)


def _by_unit(user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    roles = roles_of(user)
    if roles.sees_all:
        return qs
    if not roles.unit_ids:
        return qs.none()
    return qs.filter(unit_id__in=roles.unit_ids)


def admonitions_visible_to(user: Any) -> QuerySet[Admonition]:
    return _by_unit(user, Admonition.objects.all())


def orders_visible_to(user: Any) -> QuerySet[RectificationOrder]:
    return _by_unit(user, RectificationOrder.objects.all())


def accountability_visible_to(user: Any) -> QuerySet[Accountability]:
    qs = Accountability.objects.all()
    if roles_of(user).sees_all:
        return qs
    return _by_unit(user, qs.filter(published_to_unit=True))


def _office_and_leaders(user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    return qs if roles_of(user).sees_all else qs.none()


def flags_visible_to(user: Any) -> QuerySet[IntegrityFlag]:
    return _office_and_leaders(user, IntegrityFlag.objects.all())


def spot_checks_visible_to(user: Any) -> QuerySet[SpotCheck]:
    return _office_and_leaders(user, SpotCheck.objects.all())


def spot_check_items_visible_to(user: Any) -> QuerySet[SpotCheckItem]:
    return _office_and_leaders(user, SpotCheckItem.objects.all())


def files_visible_to(user: Any) -> QuerySet[SupervisionFile]:
    orders = orders_visible_to(user).values("pk")
    items = spot_check_items_visible_to(user).values("pk")
    return SupervisionFile.objects.filter(order__in=orders) | SupervisionFile.objects.filter(
        spot_check_item__in=items
    )


def get_or_404(qs: QuerySet[M], pk: Any) -> M:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404("Not found") from None
