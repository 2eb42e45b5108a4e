"""Token auth: anonymous callers get 401 everywhere; a username and password buy a token."""

import pytest
from rest_framework.test import APIClient


def every_endpoint(cast, roadmap) -> list[tuple[str, str]]:
    task = f"/api/tasks/{cast.task_a.pk}/"
    reads = [
        "/api/units/",
        f"/api/units/{cast.unit_a.pk}/",
        "/api/unit-groups/",
        "/api/people/",
        f"/api/people/{cast.owner.pk}/",
        "/api/memberships/",
        "/api/plans/",
        f"/api/plans/{cast.plan.pk}/",
        "/api/categories/",
        f"/api/categories/{cast.category.pk}/",
        "/api/tasks/",
        task,
        "/api/milestones/",
        f"/api/milestones/{roadmap.milestone_a.pk}/",
        "/api/indicators/",
        f"/api/indicators/{roadmap.indicator_a.pk}/",
        "/api/indicator-values/",
        f"/api/indicator-values/{roadmap.value_a.pk}/",
    ]
    writes = [
        ("post", "/api/units/"),
        ("patch", f"/api/units/{cast.unit_a.pk}/"),
        ("post", "/api/people/"),
        ("post", "/api/tasks/"),
        ("patch", task),
        ("put", task),
        *[
            ("post", f"{task}{name}/")
            for name in (
                "assign",
                "acknowledge",
                "progress",
                "request-completion",
                "close",
                "return",
                "suspend",
                "resume",
                "cancel",
            )
        ],
        ("post", "/api/milestones/"),
        ("patch", f"/api/milestones/{roadmap.milestone_a.pk}/"),
        ("delete", f"/api/milestones/{roadmap.milestone_a.pk}/"),
        ("post", "/api/indicators/"),
    ]
    return [("get", url) for url in reads] + writes


def test_anonymous_gets_401_with_a_token_challenge_on_every_endpoint(cast, roadmap):
    client = APIClient()
    for method, url in every_endpoint(cast, roadmap):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token", (method, url)


def test_a_wrong_token_gets_401(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/tasks/").status_code == 401


def test_a_username_and_password_buy_a_token_that_opens_the_api(cast):
    response = APIClient().post(
        "/api/auth/token/", {"username": "liaison_a", "password": "pw-liaison_a"}, format="json"
    )
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(f"/api/tasks/{cast.task_a.pk}/").status_code == 200


@pytest.mark.parametrize("password", ["wrong", ""])
def test_a_wrong_password_buys_no_token(cast, password):
    response = APIClient().post(
        "/api/auth/token/", {"username": "liaison_a", "password": password}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_logged_in_browser_session_reads_the_api_too(cast):
    assert cast.client("liaison_a").get("/api/tasks/").status_code == 200
