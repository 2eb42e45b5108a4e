from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.demo.test_demo_command import run
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Task


def snapshot() -> list[tuple]:
    return list(Task.objects.order_by("code").values_list("code", "title", "owner__name", "progress", "status"))


def test_reset_wipes_what_was_added_and_rebuilds_the_same_district(built, db):
    Unit.objects.create(name="临时专班", short_name="专班")
    day, before = timezone.localdate(), snapshot()
    counts = (Unit.objects.count() - 1, Person.objects.count(), Task.objects.count())
    output = run("--reset")
    assert "Demo district built" in output
    assert not Unit.objects.filter(name="临时专班").exists()
    assert (Unit.objects.count(), Person.objects.count(), Task.objects.count()) == counts
    assert get_user_model().objects.filter(username="office").count() == 1
    after = snapshot()
    assert [row[:3] for row in after] == [row[:3] for row in before]
    if timezone.localdate() == day:  # progress and status are brought to today: equal unless midnight passed
        assert after == before
