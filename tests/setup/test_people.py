"""People: the list with search and unit filter, a person's details, roles in units and the login (created
with a temporary password shown once, reset, deactivated, reactivated)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.race import at_once
from tests.setup.conftest import history_user, messages_of
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs import actions_accounts
from tongtui.orgs.models import Membership, Person

User = get_user_model()


def test_the_list_searches_and_filters_by_unit(cast, newcomer, office):
    url = reverse("setup:person-list")
    everyone = office.get(url).context["page"]
    assert everyone.paginator.count == Person.objects.count()
    assert [p.name for p in office.get(url, {"q": "孙"}).context["page"]] == ["孙新"]
    assert [p.name for p in office.get(url, {"q": "head_a"}).context["page"]] == ["李局长"]  # by username
    in_a = {p.name for p in office.get(url, {"unit": cast.unit_a.pk}).context["page"]}
    assert in_a == {"李局长", "张联络", "陈责任", "孙新"}
    assert office.get(url, {"unit": "nonsense"}).context["page"].paginator.count == Person.objects.count()


def test_the_office_adds_and_edits_a_person(cast, office):
    data = {
        "name": "吴洁",
        "title": "科长",
        "unit": cast.unit_b.pk,
        "phone": "0571-1234567",
        "email": "wu@t.cn",
    }
    response = office.post(reverse("setup:person-create"), data)
    person = Person.objects.get(name="吴洁")
    assert response["Location"] == reverse("setup:person-detail", args=[person.pk])
    assert (person.unit, person.phone, person.user) == (cast.unit_b, "0571-1234567", None)
    assert history_user(person) == cast.user("office")
    office.post(response["Location"], {**data, "title": "副主任", "email": "not-an-address"})
    person.refresh_from_db()
    assert person.title == "科长"
    assert office.post(response["Location"], {**data, "title": "副主任"}).status_code == 302
    person.refresh_from_db()
    assert person.title == "副主任"


def test_roles_are_granted_and_revoked(cast, newcomer, office):
    grant = reverse("setup:role-grant", args=[newcomer.pk])
    assert office.post(grant, {"unit": cast.unit_a.pk, "role": "liaison"}).status_code == 302
    membership = Membership.objects.get(person=newcomer)
    assert (membership.unit, membership.role) == (cast.unit_a, "liaison")
    assert history_user(membership) == cast.user("office")
    assert office.post(grant, {"unit": cast.unit_a.pk, "role": "boss"}).status_code == 400
    response = office.post(reverse("setup:role-revoke", args=[membership.pk]), follow=True)
    assert not Membership.objects.filter(person=newcomer).exists()
    assert "Role revoked: Liaison of 区发展和改革局." in messages_of(response)
    assert Membership.history.filter(id=membership.pk, history_type="-").get().history_user == cast.user(
        "office"
    )
    with pytest.raises(ActionError):
        from tongtui.orgs.actions import revoke_role

        revoke_role(membership, by=cast.user("office"))


def test_a_login_is_created_with_a_generated_password_shown_once(cast, newcomer, office):
    url = reverse("setup:login-create", args=[newcomer.pk])
    response = office.post(url, {"username": "fgj-sun", "password": ""})
    assert response.status_code == 200
    issued = response.context["issued"]
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.username == "fgj-sun" and user.email == "sun@t.cn" and user.is_active
    assert issued.generated and len(issued.password) == 12
    assert issued.password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert user.check_password(issued.password) and issued.password not in user.password  # only the hash
    assert newcomer.must_change_password
    assert history_user(newcomer) == cast.user("office")
    page = office.get(reverse("setup:person-detail", args=[newcomer.pk])).content.decode()
    assert issued.password not in page  # never shown again


def test_a_chosen_password_must_pass_the_validators_and_a_username_must_be_free(cast, newcomer, office):
    url = reverse("setup:login-create", args=[newcomer.pk])
    weak = office.post(url, {"username": "fgj-sun", "password": "123"})
    assert weak.status_code == 400 and "password" in weak.context["login_form"].errors
    taken = office.post(url, {"username": "head_a", "password": "Tongtui-2027!"})
    assert taken.status_code == 400 and "username" in taken.context["login_form"].errors
    bad = office.post(url, {"username": "孙 新", "password": "Tongtui-2027!"})
    assert bad.status_code == 400 and "username" in bad.context["login_form"].errors
    newcomer.refresh_from_db()
    assert newcomer.user is None and not User.objects.filter(username="fgj-sun").exists()
    response = office.post(url, {"username": "fgj-sun", "password": "Tongtui-2027!"})
    assert response.status_code == 200 and not response.context["issued"].generated
    assert User.objects.get(username="fgj-sun").check_password("Tongtui-2027!")


def test_a_person_with_a_login_does_not_get_a_second_one(cast, office):
    with pytest.raises(ActionError):
        actions_accounts.create_login(cast.liaison_a, by=cast.user("office"), username="another")
    response = office.post(reverse("setup:login-create", args=[cast.liaison_a.pk]), {"username": "another"})
    assert response.status_code == 400 and not User.objects.filter(username="another").exists()


@pytest.mark.django_db(transaction=True)
def test_two_creations_at_once_make_one_login(cast, newcomer):
    url = reverse("setup:login-create", args=[newcomer.pk])
    at_once(2, lambda i: cast.client("office").post(url, {"username": f"fgj-sun{i}"}))
    assert User.objects.filter(username__startswith="fgj-sun").count() == 1
    assert Person.objects.get(pk=newcomer.pk).user is not None


def test_a_reset_sets_a_temporary_password_and_ends_the_old_one(cast, office):
    liaison = cast.liaison_a
    old_session = cast.client("liaison_a")
    assert old_session.get(reverse("task-list")).status_code == 200
    response = office.post(reverse("setup:login-change", args=[liaison.pk, "reset"]), {"password": ""})
    issued = response.context["issued"]
    liaison.refresh_from_db()
    assert liaison.must_change_password and liaison.user.check_password(issued.password)
    assert not liaison.user.check_password("pw-liaison_a")
    assert old_session.get(reverse("task-list")).status_code == 302  # logged out by the new password
    entry = liaison.history.first()
    assert entry.history_user == cast.user("office") and entry.history_change_reason == "password reset"


def test_a_login_is_deactivated_and_reactivated_but_never_ones_own(cast, office):
    url = reverse("setup:login-change", args=[cast.liaison_b.pk, "deactivate"])
    office.post(url)
    user = User.objects.get(pk=cast.liaison_b.user_id)
    assert not user.is_active
    assert (
        cast.client("anonymous")
        .post(reverse("login"), {"username": "liaison_b", "password": "pw-liaison_b"})
        .status_code
        == 200
    )
    again = office.post(url, follow=True)
    assert "The login is already deactivated." in messages_of(again)
    assert Person.history.filter(id=cast.liaison_b.pk, history_change_reason="login deactivated").count() == 1
    office.post(reverse("setup:login-change", args=[cast.liaison_b.pk, "reactivate"]))
    assert User.objects.get(pk=user.pk).is_active
    own = office.post(reverse("setup:login-change", args=[cast.office.pk, "deactivate"]), follow=True)
    assert "You cannot deactivate your own login." in messages_of(own)
    assert User.objects.get(pk=cast.office.user_id).is_active


def test_only_the_office_manages_logins(cast, newcomer):
    head = cast.user("head_a")
    with pytest.raises(Forbidden):
        actions_accounts.create_login(newcomer, by=head, username="x")
    with pytest.raises(Forbidden):
        actions_accounts.reset_password(cast.liaison_a, by=head)
    with pytest.raises(Forbidden):
        actions_accounts.set_login_active(cast.liaison_a, False, by=head)
    with pytest.raises(ActionError):
        actions_accounts.reset_password(newcomer, by=cast.user("office"))
    actions_accounts.set_login_active(cast.liaison_a, False, by=cast.user("office"))
    with pytest.raises(Conflict):
        actions_accounts.set_login_active(cast.liaison_a, False, by=cast.user("office"))
