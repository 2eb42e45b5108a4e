"""The API of practices, public texts and the public page: the same access as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.publicity.conftest import PNG, write
from tongtui.publicity import actions_practices as a
from tongtui.publicity import actions_public
from tongtui.publicity.models import Practice, PracticeStatus

URL = "/api/publicity/practices/"


def api(cast, who):
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(cast.user(who))
    return c


def test_a_liaison_writes_uploads_and_submits_through_the_api(cast):
    c = api(cast, "liaison_a")
    r = c.post(URL, {"title": "一网通办", "summary": "s", "body": "b", "kind": "innovation",
                     "tasks": [cast.task_a.pk], "plan": 2026}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["unit"] == cast.unit_a.pk and r.json()["status"] == "draft"
    r = c.post(f"{URL}{pk}/photos/", {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart")
    assert r.status_code == 201 and r.json()["kind"] == "png"
    r = c.post(f"{URL}{pk}/photos/", {"file": SimpleUploadedFile("a.gif", b"GIF89a" + b"\0" * 30)}, format="multipart")
    assert r.status_code == 400
    r = c.patch(f"{URL}{pk}/", {"title": "一网通办2.0", "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "一网通办2.0" and r.json()["tasks"] == [cast.task_a.pk]
    assert c.post(f"{URL}{pk}/submit/").json()["status"] == "submitted"
    assert c.post(f"{URL}{pk}/select/").status_code == 403  # the unit cannot select


def test_a_related_task_the_unit_cannot_see_is_refused(cast):
    r = api(cast, "liaison_a").post(URL, {"title": "t", "summary": "s", "body": "b", "tasks": [cast.task_c.pk]},
                                    format="json")  # fmt: skip
    assert r.status_code == 400 and "tasks" in r.json()


def test_the_office_publishes_through_the_api(cast, practice):
    a.submit(practice, by=cast.user("liaison_a"))
    c = api(cast, "office")
    assert c.post(f"{URL}{practice.pk}/return/", {}, format="json").status_code == 400  # no reason
    assert c.post(f"{URL}{practice.pk}/select/").json()["status"] == "selected"
    assert c.post(f"{URL}{practice.pk}/publish/").json()["status"] == "published"
    assert c.post(f"{URL}{practice.pk}/publish/").status_code == 409


@pytest.mark.parametrize("who", ["liaison_b", "leader"])
def test_a_draft_is_a_404_to_outsiders_in_the_api(cast, practice, who):
    c = api(cast, who)
    assert c.get(f"{URL}{practice.pk}/").status_code == 404
    assert c.post(f"{URL}{practice.pk}/submit/").status_code == 404
    assert c.patch(f"{URL}{practice.pk}/", {"title": "x"}, format="json").status_code == 404
    assert c.post(f"{URL}{practice.pk}/photos/", {"file": SimpleUploadedFile("a.png", PNG)},
                  format="multipart").status_code == 404  # fmt: skip
    assert practice.pk not in [p["id"] for p in c.get(URL).json()["results"]]
    assert Practice.objects.get().status == PracticeStatus.DRAFT


def test_anonymous_callers_are_refused(cast, published):
    c = api(cast, "anonymous")
    assert c.get(URL).status_code in (401, 403) and c.get(f"{URL}{published.pk}/").status_code in (401, 403)


def test_the_list_searches_and_runs_a_fixed_number_of_queries(cast, published, django_assert_max_num_queries):
    for i in range(4):
        write(cast, title=f"草稿{i}")
    c = api(cast, "liaison_b")
    with django_assert_max_num_queries(8):
        rows = c.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [published.pk]
    assert c.get(URL, {"q": "没有"}).json()["results"] == []
    assert len(c.get(URL, {"q": "周调度", "kind": "practice", "year": 2026}).json()["results"]) == 1
    assert c.get(URL, {"unit": "x"}).status_code == 400
    assert len(api(cast, "liaison_a").get(URL).json()["results"]) == 5


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_b"])
def test_public_texts_are_the_offices_alone(cast, who):
    e = actions_public.save_entry(cast.task_a, by=cast.user("office"), title="t", text="x")
    c = api(cast, who)
    assert c.get("/api/publicity/public-entries/").status_code == 404
    assert c.get(f"/api/publicity/public-entries/{e.pk}/").status_code == 404
    assert c.post("/api/publicity/public-entries/", {"task": cast.task_a.pk, "title": "y", "text": "z"},
                  format="json").status_code in (403, 404)  # fmt: skip


def test_the_office_writes_a_public_text_through_the_api(cast):
    c = api(cast, "office")
    r = c.post("/api/publicity/public-entries/", {"task": cast.task_a.pk, "title": "民生", "text": "x",
                                                 "public": True}, format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["key"] == "2026-1" and r.json()["is_public"]
    assert c.get("/api/publicity/public-entries/").json()["results"][0]["title"] == "民生"


def test_the_public_json_needs_no_login_and_shows_only_public_tasks(cast):
    from tongtui.plans.models import Task

    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(status="in_progress")
    actions_public.save_entry(cast.task_a, by=cast.user("office"), title="民生", text="x", public=True)
    actions_public.save_entry(cast.task_c, by=cast.user("office"), title="不公开", text="x")
    c = api(cast, "anonymous")
    r = c.get("/api/public/tasks/")
    assert r.status_code == 200 and [t["key"] for t in r.json()] == ["2026-1"]
    assert "public" in r["Cache-Control"]
    assert c.get("/api/public/tasks/2026-1/").json()["title"] == "民生"
    assert c.get("/api/public/tasks/2026-2/").status_code == 404
    assert c.post("/api/public/tasks/", {}).status_code in (403, 405)
