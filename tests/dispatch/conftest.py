"""The cast, plus what dispatch needs: both tasks assigned in January, a monthly cycle due on the 25th, and
liaison_c, the liaison of unit C (区财政局), which is a co-unit of task_a and the lead unit of task_c."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tongtui.dispatch import actions_cycles
from tongtui.dispatch.schedule import Period
from tongtui.orgs.models import Membership, Person, Role
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

D = datetime.date
MARCH = Period(D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 25))
APRIL = Period(D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 24))  # the 25th is a Saturday
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def d(cast):
    office = cast.user("office")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(
        assigned_at=datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    cast.task_a.refresh_from_db()
    cast.task_c.refresh_from_db()
    cast.cycle = actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    user = get_user_model().objects.create_user("liaison_c", password="pw-liaison_c", email="liaison_c@t.cn")
    cast.liaison_c = Person.objects.create(user=user, name="钱联络", unit=cast.unit_c)
    Membership.objects.create(person=cast.liaison_c, unit=cast.unit_c, role=Role.LIAISON)
    return cast


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()
