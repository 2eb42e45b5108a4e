from tests.demo.test_demo_command import run
from tongtui.orgs.models import Unit
from tongtui.plans.models import Task


def test_reset_wipes_what_was_added_and_rebuilds(built, db):
    Unit.objects.create(name="临时专班", short_name="专班")
    tasks = Task.objects.count()
    output = run("--reset")
    assert "Demo district built" in output
    assert not Unit.objects.filter(name="临时专班").exists()
    assert Task.objects.count() == tasks
