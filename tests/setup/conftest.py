"""Helpers for the set-up pages; the cast itself comes from tests/conftest.py."""

import pytest
from django.conf import settings
from django.test import Client

from tongtui.orgs.models import Person

OTHERS = ["leader", "head_a", "liaison_a", "liaison_b"]


def english(client: Client) -> Client:
    """Messages are asserted in English: the msgids, whatever the Chinese catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def office(cast) -> Client:
    return english(cast.client("office"))


@pytest.fixture
def office_user(cast):
    return cast.user("office")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def history_user(obj) -> object:
    return obj.history.first().history_user


@pytest.fixture
def newcomer(cast) -> Person:
    """A person without a login, in unit A."""
    return Person.objects.create(name="孙新", unit=cast.unit_a, title="科员", email="sun@t.cn")
