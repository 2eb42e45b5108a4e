"""`demo --reset` wipes everything and builds the same district again. It wipes this package's shared demo, so it
runs last here (tests/demo/conftest.py orders it), and it rebuilds as of the same day, so that the rebuilt plan
can be compared with the first build row by row."""

from django.contrib.auth import get_user_model

from tests.demo.conftest import TODAY
from tests.demo.test_demo_command import run
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Task


def snapshot() -> list[tuple]:
    return list(Task.objects.order_by("code").values_list("code", "title", "owner__name", "progress", "status"))


def test_reset_wipes_what_was_added_and_rebuilds_the_same_district(built, db):
    Unit.objects.create(name="临时专班", short_name="专班")
    before = snapshot()
    counts = (Unit.objects.count() - 1, Person.objects.count(), Task.objects.count())
    output = run("--reset", "--as-of", TODAY.isoformat())
    assert "Demo district built" in output
    assert not Unit.objects.filter(name="临时专班").exists()
    assert (Unit.objects.count(), Person.objects.count(), Task.objects.count()) == counts
    assert get_user_model().objects.filter(username="office").count() == 1
    assert snapshot() == before  # the same tasks, owners, progress and states
