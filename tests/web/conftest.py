"""Helpers for the web UI tests; the cast itself comes from tests/conftest.py."""

import datetime
from decimal import Decimal

import pytest

from tongtui.plans import actions


@pytest.fixture
def make_tasks(cast):
    """Create n more tasks in the cast's plan through the actions, each with a co-unit and a milestone."""

    def make(n: int, **fields):
        office = cast.user("office")
        tasks = []
        for i in range(n):
            values = {
                "code": f"9.{i + 1}",
                "title": f"批量任务{i + 1}",
                "category": cast.category,
                "lead_unit": cast.unit_a,
                "leader": cast.leader,
                "owner": cast.owner,
                "due": datetime.date(2026, 6, 30),
            }
            values.update(fields)
            task = actions.create_task(
                by=office, plan=cast.plan, co_units=[cast.unit_b, cast.unit_c], **values
            )
            actions.add_milestone(
                task,
                by=office,
                title="完成立项",
                due=datetime.date(2026, 3, 31),
                planned_progress=Decimal(30),
            )
            tasks.append(task)
        return tasks

    return make


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast creates five accounts per test; a cheap hasher keeps the web tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def liaison_c(cast):
    """A liaison of unit C (区财政局), which leads task_c and co-operates on task_a."""
    from django.contrib.auth import get_user_model

    from tongtui.orgs.models import Membership, Person

    user = get_user_model().objects.create_user(username="liaison_c", password="pw-liaison_c")
    person = Person.objects.create(user=user, name="钱联络", unit=cast.unit_c)
    Membership.objects.create(person=person, unit=cast.unit_c, role="liaison")
    return user
