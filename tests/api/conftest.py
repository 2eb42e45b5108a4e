"""API clients for the fixed cast, and a roadmap and an indicator on each of the cast's tasks."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tongtui.plans.models import Indicator, IndicatorValue, Milestone


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    """The cast's five logins are hashed for every test; the production hasher takes seconds for that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(cast) -> Callable[[str], APIClient]:
    """api("office") is an API client sending the office's token; api("anonymous") sends none."""

    def client(who: str) -> APIClient:
        c = APIClient()
        if who != "anonymous":
            token, _ = Token.objects.get_or_create(user=cast.user(who))
            c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return client


@pytest.fixture
def roadmap(cast):
    """A milestone, an indicator and a value on task_a (unit A's) and on task_c (unit C's)."""

    class Roadmap:
        pass

    r = Roadmap()
    for key, task in (("a", cast.task_a), ("c", cast.task_c)):
        milestone = Milestone.objects.create(
            task=task, title="完成立项", due=datetime.date(2026, 3, 31), planned_progress=Decimal(20)
        )
        indicator = Indicator.objects.create(task=task, name="增速", unit_of_measure="%", target=Decimal(6))
        value = IndicatorValue.objects.create(
            indicator=indicator, period=datetime.date(2026, 3, 31), value=Decimal(5)
        )
        setattr(r, f"milestone_{key}", milestone)
        setattr(r, f"indicator_{key}", indicator)
        setattr(r, f"value_{key}", value)
    return r
