import json

import pytest
from django.test import Client

from tongtui.supervision.models import ChaseNotice, ChaseStatus


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def ids(r) -> set[int]:
    return {row["id"] for row in r.json()["results"]}


def test_anonymous_callers_are_refused(cast, chase):
    assert cast.client("anonymous").get("/api/chase-notices/").status_code in (401, 403)
    assert cast.client("anonymous").get(f"/api/chase-notices/{chase.pk}/").status_code in (401, 403)


@pytest.mark.parametrize("who,sees", [("office", True), ("leader", True), ("head_a", True), ("liaison_a", True),
                                      ("liaison_b", False)])  # fmt: skip
def test_the_list_is_scoped_to_the_unit(cast, chase, who, sees):
    assert ids(cast.client(who).get("/api/chase-notices/")) == ({chase.pk} if sees else set())


def test_an_outsider_gets_404(cast, chase):
    c = cast.client("liaison_b")
    assert c.get(f"/api/chase-notices/{chase.pk}/").status_code == 404
    assert post(c, f"/api/chase-notices/{chase.pk}/reply/", {"text": "x"}).status_code == 404
    assert post(c, f"/api/chase-notices/{chase.pk}/close/").status_code == 404


def test_the_detail_shows_number_and_working_day_due_date(cast, chase):
    body = cast.client("leader").get(f"/api/chase-notices/{chase.pk}/").json()
    assert body["number"] == "督办〔2026〕1号" and body["reply_due"] == "2026-10-10"
    assert body["overdue"] is True and body["tasks"] == [cast.task_a.pk]


def test_the_office_issues_and_others_are_refused(cast):
    data = {"plan": cast.plan.pk, "unit": cast.unit_b.pk, "subject": "未报送", "content": "请补报"}
    assert post(cast.client("liaison_b"), "/api/chase-notices/", data).status_code == 403
    assert post(cast.client("leader"), "/api/chase-notices/", data).status_code == 403
    r = post(cast.client("office"), "/api/chase-notices/", data)
    assert r.status_code == 201 and r.json()["workdays"] == 3 and r.json()["status"] == "issued"
    assert ChaseNotice.objects.get().unit == cast.unit_b


def test_the_unit_replies_and_the_office_closes(cast, chase):
    assert post(cast.client("liaison_a"), f"/api/chase-notices/{chase.pk}/close/").status_code == 403
    r = post(cast.client("liaison_a"), f"/api/chase-notices/{chase.pk}/reply/", {"text": "已补报"})
    assert r.status_code == 200 and r.json()["status"] == "replied"
    assert (
        post(cast.client("liaison_a"), f"/api/chase-notices/{chase.pk}/reply/", {"text": "again"}).status_code
        == 400
    )
    r = post(cast.client("office"), f"/api/chase-notices/{chase.pk}/close/", {"note": "已阅"})
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_the_office_reissues(cast, chase):
    r = post(cast.client("office"), f"/api/chase-notices/{chase.pk}/reissue/", {"content": "仍未报送"})
    assert r.status_code == 201 and r.json()["reissued_from"] == chase.pk
    assert r.json()["number"] == "督办〔2026〕2号"
    chase.refresh_from_db()
    assert chase.status == ChaseStatus.CLOSED


def test_the_status_filter(cast, chase):
    c = cast.client("office")
    assert ids(c.get("/api/chase-notices/?status=issued")) == {chase.pk}
    assert ids(c.get("/api/chase-notices/?status=closed")) == set()
