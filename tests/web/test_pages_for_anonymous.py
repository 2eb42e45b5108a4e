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


def test_the_navbar_reads_the_persons_name_and_unit_with_the_roles_and_without_roles_in_a_query(
    cast, django_assert_num_queries
):
    """The name and the person's own unit come in the roles' row; a person with no role, and an account with no
    person, still get their name (one query of their own)."""
    from types import SimpleNamespace

    from django.contrib.auth.models import User

    from tongtui.core.templatetags.tongtui_ui import whoami
    from tongtui.orgs.models import Person
    from tongtui.orgs.roles import roles_of

    def shown(user):
        roles = roles_of(user)
        return whoami({"request": SimpleNamespace(user=user), "my_roles": roles})

    liaison = cast.user("liaison_a")
    roles_of(liaison)
    with django_assert_num_queries(0):
        assert shown(liaison) == {"name": "张联络", "roles": "联络员", "unit": "区发改局"}
    page = cast.client("liaison_a").get(reverse("task-list")).content.decode()
    assert "张联络" in page and "区发改局" in page
    bare = User.objects.create_user(username="no_role", password="pw-no_role")
    Person.objects.create(user=bare, name="孙无岗", unit=cast.unit_b)
    assert shown(bare) == {"name": "孙无岗", "roles": "", "unit": "城关街道"}
    nobody = User.objects.create_user(username="no_person", password="pw-no_person", first_name="钱")
    assert shown(nobody)["name"] == "钱" and shown(nobody)["unit"] == ""


def test_logout_is_a_post_and_ends_the_session(cast):
    client = cast.client("office")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("task-list")).status_code == 302


def test_an_unknown_page_is_a_404_page(cast):
    response = cast.client("office").get("/no-such-page/")
    assert response.status_code == 404
