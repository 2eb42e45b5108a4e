import pytest
from django.urls import reverse


def pages(cast):
    return [
        reverse("home"),
        reverse("task-list"),
        reverse("task-create"),
        reverse("task-detail", args=[cast.task_a.pk]),
        reverse("task-edit", args=[cast.task_a.pk]),
        reverse("unit-list"),
        reverse("unit-detail", args=[cast.unit_a.pk]),
    ]


def test_anonymous_users_are_sent_to_the_login_page_from_every_page(cast):
    client = cast.client("anonymous")
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_anonymous_users_cannot_post_an_action(cast):
    response = cast.client("anonymous").post(reverse("task-action", args=[cast.task_a.pk, "assign"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == "draft"


def test_the_login_page_shows_the_site_name_and_a_language_switch(cast):
    response = cast.client("anonymous").get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "统推" in html
    assert 'action="/i18n/setlang/"' in html
    assert 'id="nav-user"' not in html


def test_logging_in_leads_to_what_waits_for_the_user(cast):
    client = cast.client("anonymous")
    response = client.post(
        reverse("login"), {"username": "liaison_a", "password": "pw-liaison_a"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert 'id="section-liaison"' in response.content.decode()  # the liaison's piles of waiting work


def test_a_wrong_password_shows_an_error(cast):
    response = cast.client("anonymous").post(reverse("login"), {"username": "liaison_a", "password": "nope"})
    assert response.status_code == 200
    assert 'id="login-error"' in response.content.decode()


def test_the_language_switch_turns_the_pages_english(cast):
    client = cast.client("office")
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("task-list")})
    assert response.status_code == 302
    page = client.get(reverse("task-list")).content.decode()
    assert '<html lang="en">' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": reverse("task-list")})
    page = client.get(reverse("task-list")).content.decode()
    assert '<html lang="zh-hans">' in page


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_b"])
def test_the_navbar_names_the_user_and_offers_logout(cast, who):
    page = cast.client(who).get(reverse("task-list")).content.decode()
    assert getattr(cast, who).name in page
    assert 'id="logout"' in page


def test_logout_is_a_post_and_ends_the_session(cast):
    client = cast.client("office")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("task-list")).status_code == 302


def test_an_unknown_page_is_a_404_page(cast):
    response = cast.client("office").get("/no-such-page/")
    assert response.status_code == 404
