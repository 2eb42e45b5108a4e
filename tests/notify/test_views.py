"""Pages and endpoints: one's own notifications only (others' are 404), mark read, the badge, settings, and the
office's deliveries and robots (404 to everyone else; secrets never shown back); the 交办 sweep."""

import pytest
from django.urls import reverse
from django.utils import translation

from tongtui.dispatch import assigned
from tongtui.notify import actions
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Channel, Delivery, Notification, Robot, Status
from tongtui.plans import actions as plan_actions


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def note(cast, who="liaison_a", title="Report returned: 1", key="k"):
    actions.send(Kind.REPORT_RETURNED, [cast.user(who)], title, url="/tasks/", key=key)
    return Notification.objects.get(recipient=cast.user(who), event__key=key)


def test_the_list_shows_my_notifications_and_the_badge(cast):
    note(cast)
    response = cast.client("liaison_a").get(reverse("notify:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Report returned: 1" in response.content and b'id="nav-unread"' in response.content


def test_the_list_is_private(cast):
    note(cast)
    response = cast.client("liaison_b").get(reverse("notify:list"))
    assert b"Report returned: 1" not in response.content and b'id="nav-unread"' not in response.content


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast):
    n = note(cast)
    response = cast.client("liaison_a").get(reverse("notify:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("name", ["notify:open", "notify:read"])
def test_someone_elses_notification_is_404(cast, name):
    n = note(cast)
    c = cast.client("liaison_b")
    response = (
        c.get(reverse(name, args=[n.pk])) if name == "notify:open" else c.post(reverse(name, args=[n.pk]))
    )
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_mine(cast):
    note(cast)
    other = note(cast, who="liaison_b", key="k2")
    cast.client("liaison_a").post(reverse("notify:read-all"))
    assert not Notification.objects.filter(recipient=cast.user("liaison_a"), read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.parametrize(
    "url", ["/notifications/", "/notifications/settings/", "/notifications/deliveries/", "/setup/robots/"]
)
def test_pages_need_a_login(cast, url):
    response = cast.client("anonymous").get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_settings_are_saved_for_oneself(cast):
    c = cast.client("liaison_a")
    assert c.get(reverse("notify:preferences")).status_code == 200
    c.post(reverse("notify:preferences"), {"email": "on", "mode": "digest"})
    assert cast.user("liaison_a").notify_preference.mode == "digest"


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_the_office_pages_are_404_to_others(cast, who):
    robot = actions.save_robot(Robot(name="群", platform=Channel.WECOM, unit=cast.unit_a), by=cast.user("office"),
                               webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef0123456789")  # fmt: skip
    c = cast.client(who)
    assert c.get(reverse("notify:deliveries")).status_code == 404
    assert c.get(reverse("notify:robot-list")).status_code == 404
    assert c.get(reverse("notify:robot-edit", args=[robot.pk])).status_code == 404
    assert c.post(reverse("notify:robot-test", args=[robot.pk])).status_code == 404


def test_the_office_adds_a_robot_whose_secret_is_never_shown_back(cast):
    c = cast.client("office")
    hook = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdefTOKEN"
    response = c.post(reverse("notify:robot-list"), {"name": "发改局群", "platform": "dingtalk", "webhook": hook,
                      "secret": "SECverysecretvalue1234", "unit": cast.unit_a.pk, "kinds": ["report_returned"]})  # fmt: skip
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert robot.secret == "SECverysecretvalue1234" and robot.webhook == hook
    for url in (reverse("notify:robot-list"), reverse("notify:robot-edit", args=[robot.pk])):
        page = c.get(url).content.decode()
        assert (
            "SECverysecretvalue1234" not in page and "0123456789abcdefTOKEN" not in page and "…OKEN" in page
        )
    # saved again without the secret and address: both are kept
    c.post(reverse("notify:robot-edit", args=[robot.pk]), {"name": "新名", "platform": "dingtalk",
           "unit": cast.unit_a.pk, "kinds": ["chase"]})  # fmt: skip
    robot.refresh_from_db()
    assert (robot.name, robot.secret, robot.webhook, robot.kinds) == (
        "新名",
        "SECverysecretvalue1234",
        hook,
        ["chase"],
    )
    c.post(reverse("notify:robot-test", args=[robot.pk]))
    assert Delivery.objects.filter(robot=robot, event__kind=Kind.TEST, status=Status.PENDING).count() == 1


def test_the_office_sees_failed_deliveries_with_their_error_and_retries(cast):
    note(cast)
    row = Delivery.objects.get()
    Delivery.objects.filter(pk=row.pk).update(status=Status.FAILED, error="SMTPException: relay denied")
    c = cast.client("office")
    page = c.get(reverse("notify:deliveries"))
    assert b"relay denied" in page.content
    c.post(reverse("notify:delivery-retry", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 0


# API


def test_the_api_lists_only_my_notifications(cast):
    note(cast)
    note(cast, who="liaison_b", key="k2", title="not yours")
    body = cast.client("liaison_a").get("/api/notifications/").json()
    titles = [r["title"] for r in body["results"]] if isinstance(body, dict) else [r["title"] for r in body]
    assert titles == ["Report returned: 1"]


def test_the_api_marks_read_and_hides_others(cast):
    mine, theirs = note(cast), note(cast, who="liaison_b", key="k2")
    c = cast.client("liaison_a")
    assert c.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    answer = c.post(f"/api/notifications/{mine.pk}/read/")
    assert answer.status_code == 200 and answer.json() == {"marked": 1, "unread": 0}
    assert c.get("/api/notifications/?unread=1").json()["count"] == 0
    note(cast, key="k3")
    assert c.post("/api/notifications/read-all/").json() == {"marked": 1, "unread": 0}


def test_the_api_needs_a_login(cast):
    assert cast.client("anonymous").get("/api/notifications/").status_code in (401, 403)


# 交办


def test_an_assigned_task_is_announced_to_the_lead_units_head_and_liaison_once(cast):
    plan_actions.assign_task(cast.task_a, by=cast.user("office"))
    assert assigned.sweep() == 1
    assert assigned.sweep() == 0
    got = set(
        Notification.objects.filter(kind=Kind.TASK_ASSIGNED).values_list("recipient__username", flat=True)
    )
    assert got == {"head_a", "liaison_a"}


def test_the_unread_filter_takes_true_or_false_only(cast):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(cast.user("liaison_a"))
    assert client.get("/api/notifications/", {"unread": "true"}).status_code == 200
    assert client.get("/api/notifications/", {"unread": "0"}).status_code == 200
    refused = client.get("/api/notifications/", {"unread": "yes please"})
    assert refused.status_code == 400 and "unread" in refused.json()
