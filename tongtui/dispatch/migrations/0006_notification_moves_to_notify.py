"""The Notification model moves to the notify app: its table is renamed and the rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0005_acknowledge_reminders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("notification", "notify_notification")],
            state_operations=[migrations.DeleteModel("notification")],
        ),
    ]
