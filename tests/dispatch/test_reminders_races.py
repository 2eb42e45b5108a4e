"""Two reminder sweeps at once (two workers, or a worker and a manual run) send each reminder once: one row, one
in-app notification and one e-mail per person and step."""

import pytest

from tests.dispatch.test_reminders import D, at, march  # noqa: F401 (the fixture)
from tests.race import at_once
from tongtui.dispatch.models import Reminder
from tongtui.dispatch.reminders import sweep
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Channel, Delivery, Event, Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_send_each_reminder_once(march):  # noqa: F811
    results = at_once(3, lambda i: sweep(at(D(2026, 3, 23))))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 2  # liaison_a for task 1, liaison_c for task 2, whoever sent them
    assert Reminder.objects.count() == 2
    assert Event.objects.filter(kind=Kind.REMINDER).count() == 2
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2
    assert Delivery.objects.filter(channel=Channel.EMAIL, event__kind=Kind.REMINDER).count() == 2
