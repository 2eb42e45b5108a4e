"""Take over dispatch's Notification: the table was renamed by dispatch 0006, only the state moves here.

The content type follows, so permissions granted on notifications keep working.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="notify", model="notification").exists():
        ContentType.objects.filter(app_label="dispatch", model="notification").update(app_label="notify")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="dispatch", model="notification").exists():
        ContentType.objects.filter(app_label="notify", model="notification").update(app_label="dispatch")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("dispatch", "0006_notification_moves_to_notify"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("body", models.TextField(blank=True, verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="dispatch_no_recipie_3aa02b_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
