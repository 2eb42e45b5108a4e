"""A user's own password, and the forced change after the office set a temporary one: until it is done,
every page but the password page, logout, the language switch and static files redirects there."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.setup.conftest import english, messages_of
from tongtui.core.errors import Forbidden
from tongtui.orgs import actions_accounts
from tongtui.orgs.middleware import SESSION_KEY
from tongtui.orgs.models import Person

User = get_user_model()
PAGE = "/account/password/"


def logged_in(username: str, password: str) -> Client:
    client = english(Client())
    assert client.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    return client


def test_every_user_changes_their_own_password(cast):
    client = logged_in("liaison_a", "pw-liaison_a")
    assert client.get(PAGE).status_code == 200
    wrong = client.post(
        PAGE, {"old_password": "nope", "new_password1": "Qiyue-2027!", "new_password2": "Qiyue-2027!"}
    )
    assert wrong.status_code == 400 and "old_password" in wrong.context["form"].errors
    response = client.post(
        PAGE,
        {"old_password": "pw-liaison_a", "new_password1": "Qiyue-2027!", "new_password2": "Qiyue-2027!"},
        follow=True,
    )
    assert "Your password has been changed." in messages_of(response)
    assert User.objects.get(username="liaison_a").check_password("Qiyue-2027!")
    assert client.get(reverse("task-list")).status_code == 200  # still logged in
    entry = Person.objects.get(pk=cast.liaison_a.pk).history.first()
    assert entry.history_user == cast.user("liaison_a")


def test_a_temporary_password_must_be_changed_before_anything_else(cast):
    issued = actions_accounts.reset_password(cast.liaison_a, by=cast.user("office"))
    client = logged_in("liaison_a", issued.password)
    assert client.session[SESSION_KEY] is True
    for url in (reverse("task-list"), reverse("unit-list"), "/api/tasks/", reverse("dispatch:my-reports")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(PAGE + "?next="), url
    assert client.post(reverse("task-list")).status_code == 302
    assert client.get("/static/site/site.css").status_code == 200
    page = client.get(PAGE)
    assert page.status_code == 200 and page.context["forced"]
    hx = client.get(reverse("task-list"), headers={"HX-Request": "true"})
    assert hx.status_code == 204 and hx["HX-Redirect"] == PAGE + "?next=%2Ftasks%2F"

    same = client.post(PAGE, {"old_password": issued.password, "new_password1": issued.password,
                              "new_password2": issued.password})  # fmt: skip
    assert same.status_code == 400
    assert "Choose a password different from the current one." in same.content.decode()
    response = client.post(
        PAGE + "?next=/units/",
        {"old_password": issued.password, "new_password1": "Qiyue-2027!", "new_password2": "Qiyue-2027!",
         "next": "/units/"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert SESSION_KEY not in client.session
    assert client.get(reverse("task-list")).status_code == 200
    person = Person.objects.get(pk=cast.liaison_a.pk)
    assert not person.must_change_password
    assert person.history.first().history_user == cast.user("liaison_a")


def test_logout_stays_open_while_the_password_must_change(cast):
    issued = actions_accounts.reset_password(cast.liaison_b, by=cast.user("office"))
    client = logged_in("liaison_b", issued.password)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("task-list"))["Location"].startswith(reverse("login"))


def test_a_next_address_elsewhere_is_not_followed(cast):
    client = logged_in("head_a", "pw-head_a")
    response = client.post(
        PAGE, {"old_password": "pw-head_a", "new_password1": "Qiyue-2027!", "new_password2": "Qiyue-2027!",
               "next": "https://example.com/"},
    )  # fmt: skip
    assert response["Location"] == reverse("home")


def test_others_are_not_sent_to_the_password_page(cast):
    assert cast.client("head_a").get(reverse("task-list")).status_code == 200
    assert cast.client("anonymous").get(PAGE)["Location"].startswith(reverse("login"))


def test_nobody_changes_someone_elses_password(cast):
    with pytest.raises(Forbidden):
        actions_accounts.change_own_password(cast.user("liaison_a"), "Qiyue-2027!", by=cast.user("office"))
