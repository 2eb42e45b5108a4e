"""Writes of core records: the office's working-day overrides (调休 and days off the official calendar lacks).

Core sits below orgs; the role check reads `orgs.roles` when it runs, as `core/context.py` does for the
navigation bar.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import clip_reason, save_with_history
from tongtui.core.models import WorkdayOverride


def _require_office(by: Any) -> None:
    from tongtui.orgs.roles import roles_of

    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can change working days."))


@transaction.atomic
def set_workday_override(
    *, by: Any, date: datetime.date, is_workday: bool, note: str = "", reason: str = ""
) -> WorkdayOverride:
    """Declare a day worked or off; a day that already has an override gets the new answer."""
    _require_office(by)
    override = WorkdayOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        override = WorkdayOverride(date=date)
    override.is_workday = is_workday
    override.note = note.strip()
    try:
        with transaction.atomic():
            save_with_history(override, by=by, reason=reason or note)
    except IntegrityError:  # someone added the same day at the same moment
        raise Conflict(
            _("Someone else entered %(date)s at the same time. Reload the page.")
            % {"date": f"{date:%Y-%m-%d}"},
            current_version=0,
        ) from None
    return override


@transaction.atomic
def set_workday_overrides(
    *, by: Any, days: Iterable[datetime.date], is_workday: bool, note: str = "", reason: str = ""
) -> list[WorkdayOverride]:
    """The same answer for several days at once (a holiday week): all of them or none."""
    return [
        set_workday_override(by=by, date=day, is_workday=is_workday, note=note, reason=reason) for day in days
    ]


@transaction.atomic
def remove_workday_override(override: WorkdayOverride, *, by: Any, reason: str = "") -> None:
    """Take the day back to the official calendar."""
    _require_office(by)
    row = WorkdayOverride.objects.select_for_update().filter(pk=override.pk).first()
    if row is None:
        raise ActionError(_("This day has already been taken back to the official calendar."))
    row._history_user = by  # type: ignore[attr-defined]
    row._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    row.delete()
