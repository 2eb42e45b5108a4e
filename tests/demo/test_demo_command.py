import io
import re

from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from tongtui.orgs.models import Person, Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Task

LOGIN = re.compile(r"^\s+(?P<role>.+?)\s{2,}(?P<username>\S+) / (?P<password>\S+)", re.M)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--year", "2026", *args, stdout=out)
    return out.getvalue()


def test_a_second_run_adds_nothing_and_still_prints_the_logins(built, db):
    counts = (Unit.objects.count(), Person.objects.count(), Task.objects.count())
    output = run()
    assert "already there" in output
    assert (Unit.objects.count(), Person.objects.count(), Task.objects.count()) == counts
    assert len(LOGIN.findall(output)) == 5


def test_it_prints_one_login_per_role_and_each_one_logs_in(built, db):
    logins = {m["username"]: m["password"] for m in LOGIN.finditer(run())}
    assert set(logins) == {"office", "leader", "head", "liaison", "town"}
    for username, password in logins.items():
        assert Client().login(request=HttpRequest(), username=username, password=password), username
    roles = {name: roles_of(Person.objects.get(user__username=name).user) for name in logins}
    assert roles["office"].is_office and roles["leader"].is_leader
    ndrc = Unit.objects.get(short_name="区发改局")
    assert roles["head"].has(ndrc.pk, "unit_head") and roles["liaison"].has(ndrc.pk, "liaison")
    assert Unit.objects.get(pk=next(iter(roles["town"].unit_ids))).kind == "town"
