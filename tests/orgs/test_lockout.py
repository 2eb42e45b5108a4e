"""Login throttling: ten wrong passwords lock the account on the login page and the token endpoint alike —
the right password included — until the cool-off ends or the office unlocks it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tongtui.core.errors import Conflict, Forbidden
from tongtui.orgs import lockout

WRONG = "not-the-password"


def login(username: str, password: str):
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c.post("/login/", {"username": username, "password": password})


def token(username: str, password: str):
    return APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json",
                            HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(cast):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _i in range(9):
        assert login("liaison_a", WRONG).status_code == 200  # the form again, with its error
    assert login("liaison_a", "pw-liaison_a").status_code == 302  # the ninth was not yet the limit: in
    for _i in range(10):
        login("liaison_a", WRONG)
    refused = login("liaison_a", "pw-liaison_a")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert 'id="login-locked"' in body and "locked after 10 wrong passwords" in body
    assert "_auth_user_id" not in refused.wsgi_request.session
    # another account is not affected: the lock is per account
    assert login("liaison_b", "pw-liaison_b").status_code == 302


def test_the_token_endpoint_counts_and_refuses_alike(cast):
    for i in range(10):  # the tenth wrong password is the one that locks
        assert token("head_a", WRONG).status_code == (429 if i == 9 else 400)
    refused = token("head_a", "pw-head_a")
    assert refused.status_code == 429 and "10" in refused.json()["detail"]  # the limit, in the reader's language
    assert login("head_a", "pw-head_a").status_code == 429  # the page shares the count


def test_the_lock_ends_after_the_cool_off(cast):
    for _i in range(10):
        login("liaison_a", WRONG)
    AccessAttempt.objects.filter(username="liaison_a").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1))  # fmt: skip
    assert login("liaison_a", "pw-liaison_a").status_code == 302


def test_the_office_sees_the_locked_logins_and_unlocks_one(cast):
    for _i in range(10):
        login("liaison_a", WRONG)
    office = cast.client("office")
    page = office.get("/setup/people/locked/")
    assert page.status_code == 200
    assert [row.username for row in page.context["locked"]] == ["liaison_a"]
    assert 'data-username="liaison_a"' in page.content.decode()
    assert office.post("/setup/people/locked/unlock/", {"username": "liaison_a"}).status_code == 302
    assert login("liaison_a", "pw-liaison_a").status_code == 302
    assert cast.liaison_a.history.first().history_change_reason in ("login unlocked", "解除登录锁定")
    with pytest.raises(Conflict):  # a second click: nothing left to unlock
        lockout.unlock("liaison_a", by=cast.user("office"))


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a", "liaison_b"])
def test_only_the_office_sees_and_lifts_locks(cast, who, django_user_model):
    django_user_model.objects.create_user("clerk", password="pw-clerk")
    for _i in range(10):
        login("clerk", WRONG)
    c = cast.client(who)
    assert c.get("/setup/people/locked/").status_code == 404
    assert c.post("/setup/people/locked/unlock/", {"username": "clerk"}).status_code == 404
    with pytest.raises(Forbidden):
        lockout.unlock("clerk", by=cast.user(who))
    assert login("clerk", "pw-clerk").status_code == 429
