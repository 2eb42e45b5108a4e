"""The demo's clock: the actions stamp "now"; the demo runs them as of a past moment of the plan year.

Only the demo uses this. Within `at(moment)`, django.utils.timezone.now returns that moment, so the actions
compute late working days, history dates and acknowledgement times themselves, as on that day.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


def moment(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextmanager
def at(day: datetime.date, hour: int = 9, minute: int = 0) -> Iterator[datetime.datetime]:
    """Run the actions inside as of `day` at `hour:minute` local time; never later than the real now."""
    when = min(moment(day, hour, minute), timezone.now())
    with mock.patch.object(timezone, "now", lambda: when):
        yield when
