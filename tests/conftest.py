"""The fixed cast every test can call on.

office   — the supervision office (区督查室)
leader   — a district leader in charge (副区长)
head_a   — head of unit A (区发改局)
liaison_a — liaison of unit A
liaison_b — liaison of unit B (城关街道), which is not on unit A's tasks
anonymous — nobody logged in
"""

import datetime
import os
from decimal import Decimal

import hypothesis
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tongtui.orgs.models import Membership, Person, Role, Unit
from tongtui.plans.models import Category, Plan, Task

pytest_plugins = ["tests.browser_fixtures", "tests.s3_fixtures"]

# Property-based and fuzz tests: in CI the same examples every run (derandomized: a failure is a real change,
# never a draw), and no example database carried between runs. `scripts/fuzz` runs them with fresh random
# examples, many more of them (HYPOTHESIS_PROFILE=random).
FUZZ_RANDOM = os.environ.get("HYPOTHESIS_PROFILE") == "random"
hypothesis.settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis.settings.register_profile("random", max_examples=1000, deadline=None, print_blob=True)
hypothesis.settings.load_profile("random" if FUZZ_RANDOM else "ci")


class Cast:
    def __init__(self) -> None:
        User = get_user_model()
        self.district = Unit.objects.create(name="示范区人民政府", short_name="区政府", kind="district")
        self.office_unit = Unit.objects.create(name="区政府督查室", short_name="督查室", kind="office",
                                               parent=self.district)
        self.unit_a = Unit.objects.create(name="区发展和改革局", short_name="区发改局", kind="department",
                                          parent=self.district)
        self.unit_b = Unit.objects.create(name="城关街道办事处", short_name="城关街道", kind="subdistrict",
                                          parent=self.district)
        self.unit_c = Unit.objects.create(name="区财政局", short_name="区财政局", kind="department",
                                          parent=self.district)

        def person(username: str, name: str, unit: Unit, role: str, title: str = "") -> Person:
            user = User.objects.create_user(username=username, password="pw-" + username, email=f"{username}@t.cn")
            p = Person.objects.create(user=user, name=name, unit=unit, title=title)
            Membership.objects.create(person=p, unit=unit, role=role)
            return p

        self.office = person("office", "周督查", self.office_unit, Role.OFFICE)
        self.leader = person("leader", "王副区长", self.district, Role.LEADER, "副区长")
        self.head_a = person("head_a", "李局长", self.unit_a, Role.UNIT_HEAD, "局长")
        self.liaison_a = person("liaison_a", "张联络", self.unit_a, Role.LIAISON)
        self.liaison_b = person("liaison_b", "赵联络", self.unit_b, Role.LIAISON)
        self.owner = Person.objects.create(name="陈责任", unit=self.unit_a, title="副局长")

        self.plan = Plan.objects.create(year=2026, title="2026年重点工作")
        self.category = Category.objects.create(plan=self.plan, name="产业转型升级", order=1)
        self.task_a = Task.objects.create(
            plan=self.plan, code="1", title="地区生产总值增长6%左右", category=self.category,
            lead_unit=self.unit_a, leader=self.leader, owner=self.owner,
            start=datetime.date(2026, 1, 1), due=datetime.date(2026, 12, 31), weight=Decimal(1),
        )
        self.task_a.co_units.add(self.unit_c)
        self.task_c = Task.objects.create(
            plan=self.plan, code="2", title="一般公共预算收入增长5%", category=self.category,
            lead_unit=self.unit_c, leader=self.leader, owner=self.owner,
            start=datetime.date(2026, 1, 1), due=datetime.date(2026, 12, 31),
        )

    def user(self, who: str):
        return getattr(self, who).user

    def client(self, who: str) -> Client:
        c = Client()
        if who != "anonymous":
            c.force_login(self.user(who))
        return c


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing is deliberately slow; tests do not need it to be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _derived_after_commit(settings):
    """Lights and scores a filed report marks stale are recomputed right after commit, not by the worker, so
    tests see them at once; tests/dispatch/test_filing_marks_stale.py covers the worker's way."""
    settings.DERIVED_REFRESH = "commit"


@pytest.fixture
def cast(db) -> Cast:
    return Cast()
