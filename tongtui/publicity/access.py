"""Who sees which bulletins. The office and leaders see drafts and published ones; every other person with a
unit (heads, liaisons, viewers) sees the published ones only; a draft is a 404 to them, exactly like a missing
bulletin. Only the office generates, edits and publishes."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tongtui.orgs.roles import roles_of
from tongtui.publicity.models import Bulletin, BulletinStatus


def visible_to(user: Any) -> QuerySet[Bulletin]:
    rows = Bulletin.objects.select_related("plan")
    roles = roles_of(user)
    if roles.sees_all:
        return rows
    if roles.unit_ids:
        return rows.filter(status=BulletinStatus.PUBLISHED)
    return rows.none()


def get_for(user: Any, pk: int) -> Bulletin:
    b = visible_to(user).filter(pk=pk).first()
    if b is None:
        raise Http404
    return b


def may_edit(user: Any) -> bool:
    return roles_of(user).is_office


def require_office(user: Any) -> None:
    if not may_edit(user):
        raise Http404
