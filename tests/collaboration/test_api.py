"""The API of instructions, coordination requests and comments: the same access as the pages (outsiders
404), the same rules (a refusal of someone who sees the row is 403), pinned query counts on the lists."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.collaboration.conftest import ask, instruct
from tongtui.collaboration.models import Comment, InstructionStatus, RequestStatus
from tongtui.notify.models import Notification

D = datetime.date
INS = "/api/collaboration/instructions/"
R = "/api/collaboration/requests/"
C = "/api/collaboration/comments/"


def api(d, who) -> APIClient:
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(d.user(who))
    return c


def test_a_leader_instructs_a_unit_replies_the_leader_closes(d):
    r = api(d, "leader").post(INS, {"target_kind": "task", "target_id": d.task_a.pk, "text": "请加快推进",
                                  "units": [d.unit_a.pk], "reply_within": 3}, format="json")  # fmt: skip
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["units"][0]["unit"] == d.unit_a.pk and r.json()["target_id"] == d.task_a.pk
    assert api(d, "liaison_a").get(INS + "?tab=to_reply").json()["count"] == 1
    r = api(d, "liaison_a").post(f"{INS}{pk}/reply/", {"text": "已推进"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == InstructionStatus.REPLIED
    assert api(d, "leader").get(INS + "?tab=to_read").json()["count"] == 1
    assert api(d, "liaison_a").post(f"{INS}{pk}/close/", {}, format="json").status_code == 403
    r = api(d, "leader").post(f"{INS}{pk}/close/", {"note": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == InstructionStatus.CLOSED


def test_only_leaders_instruct_and_mark_read(d):
    body = {"target_kind": "task", "target_id": d.task_a.pk, "text": "x"}
    assert api(d, "office").post(INS, body, format="json").status_code == 403
    assert api(d, "leader").post(f"{INS}read/", {"target_kind": "task", "target_id": d.task_a.pk},
                                 format="json").status_code == 201  # fmt: skip


def test_outsiders_get_404_on_every_endpoint(d):
    i, req = instruct(d), ask(d)
    c = Comment.objects.create(target_kind="task", task=d.task_a, text="x", author=d.user("liaison_a"))
    b = api(d, "liaison_b")
    for url in (f"{INS}{i.pk}/", f"{R}{req.pk}/", f"{C}{c.pk}/"):
        assert b.get(url).status_code == 404, url
    for url, body in ((f"{INS}{i.pk}/reply/", {"text": "x"}), (f"{INS}{i.pk}/close/", {}),
                      (f"{INS}{i.pk}/make-task/", {}), (f"{INS}{i.pk}/make-milestone/", {}),
                      (f"{R}{req.pk}/decline/", {"reason": "x"}), (f"{R}{req.pk}/accept/", {}),
                      (f"{R}{req.pk}/answer/", {"text": "x"}), (f"{R}{req.pk}/withdraw/", {}),
                      (C, {"target_kind": "task", "target_id": d.task_a.pk, "text": "x"}),
                      (R, {"task": d.task_a.pk, "to_unit": d.unit_c.pk, "subject": "x"}),
                      (INS + "read/", {"target_kind": "task", "target_id": d.task_a.pk})):  # fmt: skip
        assert b.post(url, body, format="json").status_code == 404, url
    assert b.patch(f"{C}{c.pk}/", {"text": "y"}, format="json").status_code == 404
    assert b.delete(f"{C}{c.pk}/").status_code == 404
    for url in (INS, R, C):
        assert b.get(url).json()["results"] == []
    assert api(d, "leader").post(INS, {"target_kind": "task", "target_id": 99999, "text": "x"},
                                 format="json").status_code == 404  # fmt: skip


def test_anonymous_is_refused(d):
    for url in (INS, R, C):
        assert api(d, "anonymous").get(url).status_code in (401, 403)


def test_requests_through_the_api(d):
    r = api(d, "liaison_a").post(R, {"task": d.task_a.pk, "to_unit": d.unit_c.pk, "subject": "请提供数据"},
                                 format="json")  # fmt: skip
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert api(d, "liaison_c").get(R + "?tab=to_me").json()["count"] == 1
    assert api(d, "liaison_a").post(f"{R}{pk}/accept/", {}, format="json").status_code == 403
    r = api(d, "liaison_c").post(f"{R}{pk}/accept/", {"related_task": d.task_c.pk}, format="json")
    assert r.json()["status"] == RequestStatus.ACCEPTED and r.json()["related_task"] == d.task_c.pk
    assert api(d, "liaison_c").post(f"{R}{pk}/decline/", {"reason": ""}, format="json").status_code == 400
    r = api(d, "liaison_c").post(f"{R}{pk}/answer/", {"text": "已提供"}, format="json")
    assert r.json()["status"] == RequestStatus.ANSWERED
    assert api(d, "office").get(R + "?overdue=true").json()["count"] == 0


def test_comments_through_the_api_with_a_private_mention(d):
    r = api(d, "liaison_a").post(C, {"target_kind": "task", "target_id": d.task_a.pk,
                                     "text": "@李局长 @赵联络 请看"}, format="json")  # fmt: skip
    assert r.status_code == 201
    assert r.json()["mentions"] == [d.head_a.pk]
    assert not Notification.objects.filter(recipient=d.user("liaison_b")).exists()
    pk = r.json()["id"]
    assert api(d, "head_a").patch(f"{C}{pk}/", {"text": "y"}, format="json").status_code == 403
    assert api(d, "liaison_a").patch(f"{C}{pk}/", {"text": "改"}, format="json").json()["text"] == "改"
    listed = api(d, "head_a").get(C + f"?target_kind=task&target_id={d.task_a.pk}").json()
    assert [c["id"] for c in listed["results"]] == [pk]
    assert api(d, "liaison_a").delete(f"{C}{pk}/").status_code == 204
    assert api(d, "head_a").get(f"{C}{pk}/").json()["text"] == ""
    assert api(d, "liaison_a").post(C, {"target_kind": "bulletin", "target_id": 1, "text": "x"},
                                    format="json").status_code in (400, 404)  # fmt: skip


def test_the_office_makes_a_task_through_the_api(d):
    i = instruct(d)
    body = {"code": "9", "title": "低效用地再开发", "lead_unit": d.unit_a.pk, "due": "2026-09-30"}
    assert api(d, "leader").post(f"{INS}{i.pk}/make-task/", body, format="json").status_code == 403
    r = api(d, "office").post(f"{INS}{i.pk}/make-task/", body, format="json")
    assert r.status_code == 201 and r.json()["new_task"]


@pytest.mark.parametrize("url", [INS, R, C])
def test_lists_cost_a_fixed_number_of_queries(d, django_assert_max_num_queries, url):
    for n in range(5):
        i = instruct(d, text=f"批示{n}")
        ask(d)
        Comment.objects.create(target_kind="task", task=d.task_a, text=f"c{n}", author=d.user("liaison_a"))
        from tongtui.collaboration import actions

        actions.reply(i, by=d.user("liaison_a"), text="已办")
    c = api(d, "liaison_a")
    with django_assert_max_num_queries(10):
        assert c.get(url).status_code == 200
