"""Counts on the menu for the work that waits: a fixed number of queries, loaded after the page."""

import datetime
from typing import Any

from tongtui.dispatch import access, acknowledging, rules
from tongtui.dispatch.due import LEAD, due_for
from tongtui.dispatch.models import ReportStatus
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import ChangeRequest, RequestStatus
from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.access_orders import orders_visible_to
from tongtui.supervision.models import ChaseStatus
from tongtui.supervision.models.orders import WAITING_FOR_UNIT


def badges_for(user: Any, today: datetime.date) -> dict[str, int]:
    """Menu item → how many things wait there for the user (0 shows no badge). Only items the user's menu has:
    each is swapped into the page by its id, and a missing one is an error in the browser (the review queue is
    the office's alone)."""
    roles = roles_of(user)
    units = roles.units_with(*rules.UNIT_ACTORS)
    counts = {"reports": 0, "acknowledge": 0, "requests": 0, "supervision": 0}
    if units:
        items = due_for(user, today)
        counts["reports"] = sum(
            1
            for i in items
            if (
                i.role == LEAD
                and (i.is_overdue or i.report_status == ReportStatus.RETURNED or i.period.due <= today)
            )
            or (i.role != LEAD and not i.contributed and i.period.due <= today)
        )
        counts["reports"] += access.awaiting_sign_off(user).count()
        counts["acknowledge"] = acknowledging.owed(units).count()
        counts["supervision"] = (
            orders_visible_to(user).filter(unit_id__in=units, status__in=WAITING_FOR_UNIT).count()
            + chases_visible_to(user).filter(unit_id__in=units, status=ChaseStatus.ISSUED).count()
        )
    if roles.is_office:
        counts["review"] = access.review_queue(user).count()
        counts["requests"] = ChangeRequest.objects.filter(status=RequestStatus.PENDING).count()
        counts["supervision"] += (
            orders_visible_to(user).filter(status__in=WAITING_FOR_UNIT, deadline__lt=today).count()
            + chases_visible_to(user).filter(status=ChaseStatus.ISSUED, reply_due__lt=today).count()
        )
    counts["assignment"] = counts["acknowledge"] + counts["requests"]
    counts["menu"] = counts["reports"] + counts.get("review", 0) + counts["assignment"] + counts["supervision"]
    return counts
