"""Read scope of chase notices: the office and leaders see all, a unit's people their unit's; others 404."""

from typing import Any

from django.db.models import QuerySet

from tongtui.supervision.access_orders import _by_unit
from tongtui.supervision.models import ChaseNotice


def chases_visible_to(user: Any) -> QuerySet[ChaseNotice]:
    return _by_unit(user, ChaseNotice.objects.all())
