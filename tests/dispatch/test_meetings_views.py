"""Meeting pages and API for the whole cast: the office plans and records, leaders read the agenda and pack,
a unit named in a decision sees the meeting without its agenda, everyone else gets 404."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tongtui.dispatch import actions_meetings
from tongtui.dispatch.models import Decision, Meeting, MeetingStatus
from tongtui.plans.models import Source

D = datetime.date
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


def api(d, who) -> APIClient:
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(d.user(who))
    return c


@pytest.fixture
def mt(d):
    d.meeting = actions_meetings.create_meeting(
        by=d.user("office"), plan=d.plan, date=D(2026, 4, 20), title="4月调度会", chair=d.leader
    )
    return d


def decide(d, unit):
    return actions_meetings.add_decision(
        d.meeting, by=d.user("office"), text="落实配套资金", lead_unit=unit,
        deadline=d.meeting.date + datetime.timedelta(days=10),
    )  # fmt: skip


def assert_login_page(response):
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# pages


@pytest.mark.parametrize("who", ["office", "leader"])
def test_office_and_leaders_see_the_meeting_with_its_agenda(mt, who):
    response = client(mt, who).get(reverse("dispatch:meeting-detail", args=[mt.meeting.pk]))
    assert response.status_code == 200
    assert b'id="agenda"' in response.content and b'id="download-pack"' in response.content
    listed = client(mt, who).get(reverse("dispatch:meeting-list"))
    assert f'data-meeting="{mt.meeting.pk}"'.encode() in listed.content


@pytest.mark.parametrize("who", ["head_a", "liaison_a", "liaison_b"])
def test_units_not_named_in_a_decision_get_404(mt, who):
    decide(mt, mt.unit_c)
    c = client(mt, who)
    assert c.get(reverse("dispatch:meeting-detail", args=[mt.meeting.pk])).status_code == 404
    assert c.get(reverse("dispatch:meeting-pack", args=[mt.meeting.pk])).status_code == 404
    assert b'id="no-meetings"' in c.get(reverse("dispatch:meeting-list")).content


def test_a_unit_named_in_a_decision_sees_the_meeting_but_not_its_agenda_or_pack(mt):
    decide(mt, mt.unit_a)
    c = client(mt, "liaison_a")
    response = c.get(reverse("dispatch:meeting-detail", args=[mt.meeting.pk]))
    assert response.status_code == 200
    assert "落实配套资金".encode() in response.content
    assert b'id="agenda"' not in response.content and b'id="decision-form"' not in response.content
    assert c.get(reverse("dispatch:meeting-pack", args=[mt.meeting.pk])).status_code == 404


def test_anonymous_gets_the_login_page(mt):
    for url in (
        reverse("dispatch:meeting-list"),
        reverse("dispatch:meeting-new"),
        reverse("dispatch:meeting-detail", args=[mt.meeting.pk]),
        reverse("dispatch:meeting-pack", args=[mt.meeting.pk]),
    ):
        assert_login_page(client(mt, "anonymous").get(url))


def test_the_office_plans_a_meeting_on_the_page(d):
    c = client(d, "office")
    assert c.get(reverse("dispatch:meeting-new")).status_code == 200
    response = c.post(
        reverse("dispatch:meeting-new"),
        {"plan": d.plan.pk, "title": "一季度调度会", "date": "2026-04-02", "time": "09:30", "chair": d.leader.pk,
         "scope": "category", "category": d.category.pk},
    )  # fmt: skip
    meeting = Meeting.objects.get(title="一季度调度会")
    assert (
        response.status_code == 302
        and meeting.category == d.category
        and meeting.created_by == d.user("office")
    )


def test_a_category_meeting_without_its_category_is_refused_on_the_page(d):
    response = client(d, "office").post(
        reverse("dispatch:meeting-new"),
        {"plan": d.plan.pk, "title": "x", "date": "2026-04-02", "time": "09:30", "chair": d.leader.pk,
         "scope": "category"},
    )  # fmt: skip
    assert response.status_code == 400 and not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["leader", "head_a"])
def test_only_the_office_plans_and_edits(mt, who):
    assert client(mt, who).get(reverse("dispatch:meeting-new")).status_code == 404
    assert client(mt, who).get(reverse("dispatch:meeting-edit", args=[mt.meeting.pk])).status_code == 404
    response = client(mt, who).post(
        reverse("dispatch:meeting-minutes", args=[mt.meeting.pk]), {"minutes": "x"}
    )
    assert response.status_code == 404


def test_the_office_edits_the_meeting(mt):
    c = client(mt, "office")
    assert c.get(reverse("dispatch:meeting-edit", args=[mt.meeting.pk])).status_code == 200
    response = c.post(
        reverse("dispatch:meeting-edit", args=[mt.meeting.pk]),
        {"title": "4月调度会（改期）", "date": "2026-04-21", "time": "15:00", "chair": mt.leader.pk, "scope": "plan"},
    )  # fmt: skip
    assert response.status_code == 302
    mt.meeting.refresh_from_db()
    assert (mt.meeting.date, mt.meeting.title) == (D(2026, 4, 21), "4月调度会（改期）")


def test_the_office_records_minutes_and_a_decision_on_the_page(mt):
    c = client(mt, "office")
    c.post(reverse("dispatch:meeting-minutes", args=[mt.meeting.pk]), {"minutes": "听取汇报"})
    mt.meeting.refresh_from_db()
    assert mt.meeting.status == MeetingStatus.HELD and mt.meeting.minutes == "听取汇报"
    response = c.post(
        reverse("dispatch:meeting-decision", args=[mt.meeting.pk]),
        {"text": "加快用地报批", "lead_unit": mt.unit_a.pk, "co_units": [mt.unit_c.pk], "deadline": "2026-05-31",
         "kind": "task"},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.created_task.source == Source.MEETING
    assert list(decision.created_task.co_units.all()) == [mt.unit_c]


def test_a_milestone_decision_needs_its_task(mt):
    response = client(mt, "office").post(
        reverse("dispatch:meeting-decision", args=[mt.meeting.pk]),
        {"text": "x", "lead_unit": mt.unit_a.pk, "deadline": "2026-05-31", "kind": "milestone"},
    )
    assert response.status_code == 400 and not Decision.objects.exists()


def test_the_pack_downloads_built_now_then_stored(mt):
    c = client(mt, "leader")
    response = c.get(reverse("dispatch:meeting-pack", args=[mt.meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text == "关于4月调度会的会议材料"
    assert not Meeting.objects.get(pk=mt.meeting.pk).pack
    assert (
        client(mt, "office").post(reverse("dispatch:meeting-pack", args=[mt.meeting.pk])).status_code == 302
    )
    assert Meeting.objects.get(pk=mt.meeting.pk).pack
    assert (
        client(mt, "leader").post(reverse("dispatch:meeting-pack", args=[mt.meeting.pk])).status_code == 404
    )


# API


@pytest.mark.parametrize("who", ["office", "leader"])
def test_the_api_shows_meetings_agenda_and_pack_to_office_and_leaders(mt, who):
    c = api(mt, who)
    assert [r["id"] for r in c.get("/api/meetings/").json()["results"]] == [mt.meeting.pk]
    agenda = c.get(f"/api/meetings/{mt.meeting.pk}/agenda/")
    assert agenda.status_code == 200 and set(agenda.json()) >= {"open_decisions", "off_track", "late_units"}
    pack = c.get(f"/api/meetings/{mt.meeting.pk}/pack/")
    assert pack.status_code == 200 and pack["Content-Type"] == DOCX


@pytest.mark.parametrize("who", ["head_a", "liaison_a", "liaison_b"])
def test_the_api_hides_the_meeting_from_units_not_named(mt, who):
    decide(mt, mt.unit_c)
    c = api(mt, who)
    assert c.get("/api/meetings/").json()["results"] == []
    for path in ("", "agenda/", "pack/"):
        assert c.get(f"/api/meetings/{mt.meeting.pk}/{path}").status_code == 404


def test_the_api_gives_a_named_unit_the_meeting_but_not_the_agenda(mt):
    decide(mt, mt.unit_a)
    c = api(mt, "liaison_a")
    assert c.get(f"/api/meetings/{mt.meeting.pk}/").status_code == 200
    assert c.get(f"/api/meetings/{mt.meeting.pk}/agenda/").status_code == 404
    assert (
        c.post(f"/api/meetings/{mt.meeting.pk}/minutes/", {"minutes": "x"}, format="json").status_code == 403
    )


def test_anonymous_is_refused_by_the_api(mt):
    assert api(mt, "anonymous").get("/api/meetings/").status_code in (401, 403)


def test_the_office_works_a_meeting_through_the_api(d):
    c = api(d, "office")
    created = c.post(
        "/api/meetings/",
        {
            "plan": d.plan.pk,
            "date": "2026-04-20",
            "time": "09:00",
            "title": "API调度会",
            "chair": d.leader.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert c.patch(f"/api/meetings/{pk}/", {"title": "改名"}, format="json").json()["title"] == "改名"
    decision = c.post(
        f"/api/meetings/{pk}/decisions/",
        {"text": "完成用地报批", "lead_unit": d.unit_a.pk, "deadline": "2026-05-31", "kind": "milestone",
         "task": d.task_a.pk, "planned_progress": "40"},
        format="json",
    )  # fmt: skip
    assert decision.status_code == 201, decision.json()
    assert decision.json()["created_milestone"] is not None
    packed = c.post(f"/api/meetings/{pk}/pack/")
    assert packed.status_code == 200 and packed.json()["pack_generated_at"]
    held = c.post(f"/api/meetings/{pk}/minutes/", {"minutes": "纪要"}, format="json")
    assert held.json()["status"] == "held"
    assert c.post(f"/api/meetings/{pk}/pack/").status_code == 409  # what the meeting was given stays


def test_a_leader_cannot_create_a_meeting_through_the_api(d):
    response = api(d, "leader").post(
        "/api/meetings/",
        {"plan": d.plan.pk, "date": "2026-04-20", "title": "x", "chair": d.leader.pk},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/meetings/", "/api/meetings/"])
def test_the_meeting_list_takes_the_same_queries_for_1_or_4_meetings(mt, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = api(mt, "office") if url.startswith("/api/") else client(mt, "office")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    decide(mt, mt.unit_a)
    one = count()
    for i in range(3):
        mt.meeting = actions_meetings.create_meeting(
            by=mt.user("office"), plan=mt.plan, date=D(2026, 5, 1 + i), title=f"会{i}", chair=mt.leader
        )
        decide(mt, mt.unit_b)
    assert count() == one
