"""催办 e-mails go through notify like every other message: the reminder's own address and e-mailed-at stamp
go. A reminder whose e-mail had not gone out yet (the old sweep retried those for two days) is handed to the
delivery worker first, as an e-mail of the in-app event it already has, so nothing waiting is lost."""

import datetime

from django.db import migrations
from django.utils import timezone


def queue_unsent(apps, schema_editor):
    Reminder = apps.get_model("dispatch", "Reminder")
    Event = apps.get_model("notify", "Event")
    Delivery = apps.get_model("notify", "Delivery")
    Preference = apps.get_model("notify", "Preference")
    now = timezone.now()
    waiting = Reminder.objects.filter(
        emailed_at__isnull=True, sent_at__gte=now - datetime.timedelta(days=2), recipient__user__isnull=False
    ).exclude(email="")
    rows = list(waiting.values_list("pk", "recipient__user_id"))
    if not rows:
        return
    events = dict(
        Event.objects.filter(key__in=[f"reminder:{pk}" for pk, _user in rows]).values_list("key", "pk")
    )
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in={u for _pk, u in rows})}
    queued = []
    for pk, user_id in rows:
        event_id = events.get(f"reminder:{pk}")
        pref = prefs.get(user_id)
        if event_id is None or (pref is not None and not pref.email):
            continue
        held = pref is not None and pref.mode == "digest"
        queued.append(
            Delivery(event_id=event_id, channel="email", target=f"user:{user_id}", recipient_id=user_id,
                     status="held" if held else "pending", next_attempt_at=now)
        )  # fmt: skip
    Delivery.objects.bulk_create(queued, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0006_notification_moves_to_notify"),
        ("notify", "0002_events_deliveries_robots_preferences"),
    ]

    operations = [
        migrations.RunPython(queue_unsent, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="reminder", name="dispatch_re_emailed_71e244_idx"),
        migrations.RemoveField(model_name="reminder", name="email"),
        migrations.RemoveField(model_name="reminder", name="emailed_at"),
    ]
