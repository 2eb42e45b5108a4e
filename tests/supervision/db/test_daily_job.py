import pytest
from django.core.management import call_command

from tongtui.dispatch.models import PeriodicJob
from tongtui.supervision.facts_db import today
from tongtui.supervision.models import LightHistory, TaskLight


# the queue worker closes its database connection between rounds: no wrapping transaction
@pytest.mark.django_db(transaction=True)
def test_the_worker_recomputes_every_light_once_a_day(lights):
    call_command("worker", "--once")
    assert TaskLight.objects.count() == 2
    assert set(LightHistory.objects.values_list("date", flat=True)) == {today()}
    job = PeriodicJob.objects.get(name="supervision.lights_daily")
    assert (job.next_run_at - job.last_claimed_at).days == 1
    TaskLight.objects.all().delete()
    call_command("worker", "--once")  # claimed already today: not again
    assert not TaskLight.objects.exists()
