"""API tokens expire after API_TOKEN_DAYS, are rotated by their owner (API and page), revoked by the office,
and revoked by a password reset or change; each rotation and revocation is in the person's history."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.race import at_once, statuses
from tests.setup.conftest import english, messages_of
from tongtui.orgs import actions_accounts, tokens
from tongtui.orgs.models import Person

PAGE = "/account/token/"


def obtain(username: str) -> dict:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": f"pw-{username}"},
                                format="json")  # fmt: skip
    assert response.status_code == 200
    return response.json()


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # Chinese first: only the language choice changes it
    return client


def age(key: str, days: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=days))


def reasons(person: Person) -> list[str]:
    return [h.history_change_reason for h in Person.objects.get(pk=person.pk).history.all()]


def test_the_token_endpoint_says_when_the_token_expires(cast, settings):
    settings.API_TOKEN_DAYS = 30
    first = obtain("liaison_a")
    created = datetime.datetime.fromisoformat(first["created"])
    assert datetime.datetime.fromisoformat(first["expires"]) - created == datetime.timedelta(days=30)
    assert obtain("liaison_a")["token"] == first["token"]  # the same live token again


def test_an_expired_token_is_refused_with_401_saying_so(cast, settings):
    settings.API_TOKEN_DAYS = 90
    key = obtain("liaison_a")["token"]
    age(key, 89.9)
    assert with_token(key).get("/api/tasks/").status_code == 200
    age(key, 90.1)
    refused = with_token(key).get("/api/tasks/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert "expired" in refused.json()["detail"]
    fresh = obtain("liaison_a")["token"]  # the password buys a new one in place of the expired one
    assert fresh != key and with_token(fresh).get("/api/tasks/").status_code == 200
    assert Token.objects.filter(user=cast.user("liaison_a")).count() == 1


def test_the_lifetime_is_a_setting(cast, settings):
    key = obtain("liaison_a")["token"]
    age(key, 2)
    settings.API_TOKEN_DAYS = 1
    assert with_token(key).get("/api/tasks/").status_code == 401
    settings.API_TOKEN_DAYS = 3
    assert with_token(key).get("/api/tasks/").status_code == 200


def test_rotating_through_the_api_stops_the_old_key_at_once(cast):
    old = obtain("liaison_a")["token"]
    response = with_token(old).post("/api/auth/token/rotate/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = response.json()["token"]
    assert new != old
    assert with_token(old).get("/api/tasks/").status_code == 401
    assert with_token(new).get("/api/tasks/").status_code == 200
    assert reasons(cast.liaison_a)[0] == "API token rotated"
    assert APIClient().post("/api/auth/token/rotate/").status_code == 401


def test_an_expired_token_cannot_rotate_itself(cast):
    old = obtain("liaison_a")["token"]
    age(old, 1000)
    assert with_token(old).post("/api/auth/token/rotate/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_two_rotations_at_once_leave_one_live_token_the_winners(cast):
    old = obtain("liaison_a")["token"]
    responses = at_once(3, lambda i: with_token(old).post("/api/auth/token/rotate/"))
    codes = statuses(responses)
    assert codes.count(200) == 1 and all(c in (401, 409) for c in codes if c != 200)  # 401: the old key gone
    won = next(r for r in responses if r.status_code == 200).json()["token"]
    assert list(Token.objects.filter(user=cast.user("liaison_a")).values_list("key", flat=True)) == [won]
    assert reasons(cast.liaison_a).count("API token rotated") == 1


def test_the_account_page_shows_dates_and_the_new_key_once(cast):
    client = english(cast.client("liaison_a"))
    page = client.get(PAGE)
    assert page.status_code == 200 and 'id="token-none"' in page.content.decode()
    made = client.post(PAGE, {"seen": ""})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = tokens.of(cast.user("liaison_a")).key
    assert f'id="token-value">{key}<' in made.content.decode()
    again = client.get(PAGE).content.decode()
    assert key not in again and 'id="token-expires"' in again
    seen = tokens.fingerprint(tokens.of(cast.user("liaison_a")))
    rotated = client.post(PAGE, {"seen": seen})
    new = tokens.of(cast.user("liaison_a")).key
    assert new != key and f'id="token-value">{new}<' in rotated.content.decode()
    assert reasons(cast.liaison_a)[:2] == ["API token rotated", "API token created"]


def test_a_second_click_shows_the_token_the_first_made_and_rotates_once(cast):
    client = english(cast.client("liaison_a"))
    key = obtain("liaison_a")["token"]
    seen = tokens.fingerprint(Token.objects.get(key=key))
    first = client.post(PAGE, {"seen": seen})
    second = client.post(PAGE, {"seen": seen})  # the same form, sent again
    new = tokens.of(cast.user("liaison_a")).key
    for response in (first, second):
        assert f'id="token-value">{new}<' in response.content.decode()
    assert 'id="token-note"' in second.content.decode()
    assert reasons(cast.liaison_a).count("API token rotated") == 1
    # an old page (not a second click) is refused without showing the key
    Token.objects.filter(key=new).update(created=timezone.now() - datetime.timedelta(minutes=5))
    stale = client.post(PAGE, {"seen": seen}, follow=True)
    assert new not in stale.content.decode() and "after you loaded it" in " ".join(messages_of(stale))


def test_the_page_is_for_logged_in_users(cast):
    assert Client().get(PAGE).status_code == 302


def test_the_office_revokes_a_persons_token(cast):
    key = obtain("liaison_a")["token"]
    url = f"/setup/people/{cast.liaison_a.pk}/login/revoke-token/"
    for who in ("leader", "head_a", "liaison_a", "liaison_b"):
        assert cast.client(who).post(url).status_code == 404
    office = english(cast.client("office"))
    page = office.get(f"/setup/people/{cast.liaison_a.pk}/").content.decode()
    assert 'id="token-revoke"' in page
    done = office.post(url, follow=True)
    assert "API token revoked." in messages_of(done)
    assert with_token(key).get("/api/tasks/").status_code == 401
    assert reasons(cast.liaison_a)[0] == "API token revoked"
    again = office.post(url, follow=True)
    assert "has no API token (any more)" in " ".join(messages_of(again))


def test_a_password_reset_or_change_revokes_the_token(cast):
    key = obtain("liaison_a")["token"]
    with translation.override("en"):
        actions_accounts.reset_password(cast.liaison_a, by=cast.user("office"))
    assert with_token(key).get("/api/tasks/").status_code == 401
    assert reasons(cast.liaison_a)[0] == "password reset; API token revoked"
    key = obtain("head_a")["token"]
    user = cast.user("head_a")
    with translation.override("en"):
        actions_accounts.change_own_password(user, "Qiyue-2027!", by=user)
    assert with_token(key).get("/api/tasks/").status_code == 401
    assert reasons(cast.head_a)[0] == "password changed by its owner; API token revoked"


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_once_shows_both_answers_the_one_live_token(cast):
    key = obtain("liaison_a")["token"]
    seen = tokens.fingerprint(Token.objects.get(key=key))
    clients = [english(cast.client("liaison_a")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(PAGE, {"seen": seen}))
    assert statuses(responses) == [200, 200]
    live = tokens.of(cast.user("liaison_a")).key
    assert live != key
    for response in responses:
        assert f'id="token-value">{live}<' in response.content.decode()
    assert reasons(cast.liaison_a).count("API token rotated") == 1
