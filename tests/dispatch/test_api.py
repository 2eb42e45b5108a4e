from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.dispatch.conftest import MARCH, PNG, png
from tongtui.dispatch import actions, actions_cycles
from tongtui.dispatch.models import Attachment, ProgressReport, ReportCycle, ReportStatus

START = MARCH.start.isoformat()
INSIDERS = ["office", "leader", "head_a", "liaison_a", "liaison_c"]


def api(d, who) -> APIClient:
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(d.user(who))
    return c


def draft(d):
    return actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))


def submitted(d, by="liaison_a"):
    report = draft(d)
    actions.save_draft(
        report, by=d.user(by), version=report.version, progress=Decimal(35), done="完成可研批复"
    )
    return actions.submit_report(report, by=d.user(by))


# report cycles


def test_everyone_logged_in_reads_the_plans_cycle(d):
    response = api(d, "liaison_b").get("/api/report-cycles/")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [d.cycle.pk]


def test_a_tasks_own_cycle_is_hidden_from_outsiders(d):
    cycle = actions_cycles.set_report_cycle(
        by=d.user("office"), plan=d.plan, task=d.task_a, frequency="weekly", due_kind="weekday", weekday=4
    )
    assert api(d, "liaison_b").get(f"/api/report-cycles/{cycle.pk}/").status_code == 404
    assert api(d, "liaison_a").get(f"/api/report-cycles/{cycle.pk}/").status_code == 200


def test_the_office_sets_a_cycle_through_the_api(d):
    c = api(d, "office")
    response = c.post(
        "/api/report-cycles/",
        {
            "plan": d.plan.pk,
            "category": d.category.pk,
            "frequency": "quarterly",
            "due_kind": "day_of_month",
            "day_of_month": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = c.patch(f"/api/report-cycles/{pk}/", {"day_of_month": 15}, format="json")
    assert response.status_code == 200 and response.json()["day_of_month"] == 15
    assert ReportCycle.objects.get(pk=pk).history.count() == 2
    assert c.delete(f"/api/report-cycles/{pk}/").status_code == 204


def test_a_cycle_that_does_not_fit_is_a_400_naming_the_field(d):
    response = api(d, "office").post(
        "/api/report-cycles/",
        {
            "plan": d.plan.pk,
            "task": d.task_a.pk,
            "frequency": "monthly",
            "due_kind": "weekday",
            "weekday": 4,
        },
        format="json",
    )
    assert response.status_code == 400 and "due_kind" in response.json()


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_only_the_office_writes_cycles(d, who):
    c = api(d, who)
    assert (
        c.post("/api/report-cycles/", {"plan": d.plan.pk, "day_of_month": 20}, format="json").status_code
        == 403
    )
    assert c.patch(f"/api/report-cycles/{d.cycle.pk}/", {"day_of_month": 1}, format="json").status_code == 403


def test_anonymous_cannot_read_cycles(d):
    assert api(d, "anonymous").get("/api/report-cycles/").status_code in (401, 403)


# reports


def test_the_liaison_starts_a_report_once(d):
    c = api(d, "liaison_a")
    first = c.post("/api/reports/", {"task": d.task_a.pk, "period_start": START}, format="json")
    assert first.status_code == 201
    assert first.json()["period_label"] and first.json()["due"] == MARCH.due.isoformat()
    again = c.post("/api/reports/", {"task": d.task_a.pk, "period_start": START}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_date_that_starts_no_period_is_a_400(d):
    response = api(d, "liaison_a").post(
        "/api/reports/", {"task": d.task_a.pk, "period_start": "2026-03-05"}, format="json"
    )
    assert response.status_code == 400


def test_an_outsider_cannot_even_name_the_task(d):
    response = api(d, "liaison_b").post(
        "/api/reports/", {"task": d.task_a.pk, "period_start": START}, format="json"
    )
    assert response.status_code == 400 and "task" in response.json()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["leader", "office", "liaison_c"])
def test_those_who_see_the_task_but_do_not_write_get_403(d, who):
    response = api(d, who).post("/api/reports/", {"task": d.task_a.pk, "period_start": START}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_list_and_read_the_report(d, who):
    report = submitted(d)
    c = api(d, who)
    assert [r["id"] for r in c.get("/api/reports/").json()["results"]] == [report.pk]
    assert c.get(f"/api/reports/{report.pk}/").json()["done"] == "完成可研批复"


def test_an_outsider_lists_nothing_and_gets_404(d):
    report = submitted(d)
    c = api(d, "liaison_b")
    assert c.get("/api/reports/").json()["results"] == []
    assert c.get(f"/api/reports/{report.pk}/").status_code == 404
    assert c.post(f"/api/reports/{report.pk}/sign-off/").status_code == 404
    assert c.patch(f"/api/reports/{report.pk}/", {"version": 1}, format="json").status_code == 404


def test_reports_need_a_login(d):
    assert api(d, "anonymous").get("/api/reports/").status_code in (401, 403)


def test_saving_a_draft_with_a_stale_version_is_409(d):
    report = draft(d)
    c = api(d, "liaison_a")
    ok = c.patch(
        f"/api/reports/{report.pk}/",
        {"version": report.version, "progress": "20.00", "done": "开工", "confidence": 4},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["progress"] == "20.00" and ok.json()["confidence"] == 4
    stale = c.patch(f"/api/reports/{report.pk}/", {"version": report.version, "done": "覆盖"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == ok.json()["version"]
    assert "张联络" in stale.json()["detail"]


def test_indicator_values_go_with_the_draft(d):
    from tongtui.plans import actions as plan_actions

    indicator = plan_actions.add_indicator(d.task_a, by=d.user("office"), name="投资额", target=Decimal(10))
    report = draft(d)
    response = api(d, "liaison_a").patch(
        f"/api/reports/{report.pk}/",
        {
            "version": report.version,
            "indicator_values": [{"indicator": indicator.pk, "value": "3.5000"}],
        },
        format="json",
    )
    assert response.json()["indicator_values"] == [{"indicator": indicator.pk, "value": "3.5000"}]


def test_the_whole_review_through_the_api(d):
    report = draft(d)
    liaison, head, office = api(d, "liaison_a"), api(d, "head_a"), api(d, "office")
    liaison.patch(
        f"/api/reports/{report.pk}/",
        {"version": report.version, "progress": "60.00", "done": "主体完工"},
        format="json",
    )
    assert (
        liaison.post(f"/api/reports/{report.pk}/submit/", {}, format="json").json()["status"] == "submitted"
    )
    assert (
        office.post(f"/api/reports/{report.pk}/accept/", {}, format="json").status_code == 400
    )  # not signed
    assert head.post(f"/api/reports/{report.pk}/sign-off/").json()["status"] == "signed_off"
    assert office.post(f"/api/reports/{report.pk}/return/", {}, format="json").status_code == 400  # no reason
    returned = office.post(f"/api/reports/{report.pk}/return/", {"reason": "补充照片"}, format="json")
    assert returned.json()["status"] == "returned" and returned.json()["review_note"] == "补充照片"
    liaison.post(f"/api/reports/{report.pk}/submit/", {}, format="json")
    head.post(f"/api/reports/{report.pk}/sign-off/")
    accepted = office.post(f"/api/reports/{report.pk}/accept/", {"note": "属实"}, format="json")
    assert accepted.json()["status"] == ReportStatus.ACCEPTED
    d.task_a.refresh_from_db()
    assert d.task_a.progress == Decimal(60)


MINIMAL = {"id", "task", "unit", "period_start", "period_end", "status", "version"}


def test_with_prefer_return_minimal_each_step_answers_only_what_the_next_needs(d):
    liaison, head = api(d, "liaison_a"), api(d, "head_a")
    minimal = {"HTTP_PREFER": "return=minimal"}
    started = liaison.post(
        "/api/reports/", {"task": d.task_a.pk, "period_start": START}, format="json", **minimal
    )
    assert started.status_code == 201 and set(started.json()) == MINIMAL
    assert started["Preference-Applied"] == "return=minimal"
    body = started.json()
    saved = liaison.patch(f"/api/reports/{body['id']}/", {"version": body["version"], "progress": "40.00",
                          "done": "完成主体工程"}, format="json", **minimal)  # fmt: skip
    assert set(saved.json()) == MINIMAL and saved.json()["version"] == body["version"] + 1
    sent = liaison.post(f"/api/reports/{body['id']}/submit/", {"version": saved.json()["version"]}, format="json",
                        HTTP_PREFER="respond-async, return=minimal")  # fmt: skip
    assert sent.json() == {**body, "status": "submitted", "version": body["version"] + 2}
    signed = head.post(f"/api/reports/{body['id']}/sign-off/", **minimal)
    assert signed.json()["status"] == "signed_off" and set(signed.json()) == MINIMAL
    report = ProgressReport.objects.get(pk=body["id"])
    assert (report.progress, report.done, report.version) == (
        Decimal(40),
        "完成主体工程",
        body["version"] + 3,
    )
    # without the preference (or asking for the representation) the whole report, as before
    full = api(d, "office").post(f"/api/reports/{body['id']}/return/", {"reason": "补充照片"}, format="json",
                     HTTP_PREFER="return=representation")  # fmt: skip
    assert {"attachments", "repeat_warning", "review_note"} <= set(full.json())
    assert "Preference-Applied" not in full


@pytest.mark.parametrize(
    ("header", "minimal"),
    [("return=minimal", True), ("RETURN = Minimal", True), ('return="minimal"', True),
     ("handling=lenient, return=minimal; x=1", True), ("return=representation", False), ("", False),
     ("minimal", False), ("return=minimalist", False)],
)  # fmt: skip
def test_the_prefer_header_is_read_as_rfc_7240_writes_it(header, minimal):
    from django.test import RequestFactory

    from tongtui.api.views import prefers_minimal

    assert prefers_minimal(RequestFactory().get("/", HTTP_PREFER=header)) is minimal


@pytest.mark.parametrize(
    ("who", "path"), [("liaison_a", "sign-off"), ("leader", "accept"), ("leader", "return")]
)
def test_a_review_step_by_the_wrong_insider_is_403(d, who, path):
    report = submitted(d)
    assert (
        api(d, who).post(f"/api/reports/{report.pk}/{path}/", {"reason": "x"}, format="json").status_code
        == 403
    )


def test_a_submitted_report_cannot_be_patched(d):
    report = submitted(d)
    response = api(d, "liaison_a").patch(
        f"/api/reports/{report.pk}/", {"version": report.version, "done": "改"}, format="json"
    )
    assert response.status_code == 400


# contributions and evidence


def test_a_co_unit_contributes_through_the_api(d):
    response = api(d, "liaison_c").post(
        "/api/reports/contribute/",
        {"task": d.task_a.pk, "period_start": START, "text": "完成资金拨付"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["unit"] == d.unit_c.pk
    assert (
        api(d, "liaison_a")
        .post(
            "/api/reports/contribute/",
            {"task": d.task_a.pk, "period_start": START, "text": "x"},
            format="json",
        )
        .status_code
        == 403
    )
    assert (
        api(d, "liaison_b")
        .post(
            "/api/reports/contribute/",
            {"task": d.task_a.pk, "period_start": START, "text": "x"},
            format="json",
        )
        .status_code
        == 400
    )


def test_evidence_is_uploaded_as_multipart_and_downloaded(d):
    report = draft(d)
    response = api(d, "liaison_a").post(
        f"/api/reports/{report.pk}/evidence/", {"file": png("现场.png")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "png" and body["name"] == "现场.png" and len(body["sha256"]) == 64
    for who in INSIDERS:
        download = api(d, who).get(body["download"])
        assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert api(d, "liaison_b").get(body["download"]).status_code == 404
    assert api(d, "liaison_b").get(f"/api/evidence/{body['id']}/").status_code == 404


def test_a_refused_upload_is_a_400_with_the_reason(d):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = draft(d)
    response = api(d, "liaison_a").post(
        f"/api/reports/{report.pk}/evidence/",
        {"file": SimpleUploadedFile("a.exe", b"MZ" + b"\0" * 20)},
        format="multipart",
    )
    assert response.status_code == 400 and "a.exe" in str(response.json())
    assert not Attachment.objects.exists()


def test_uploading_to_a_hidden_report_is_404(d):
    report = draft(d)
    response = api(d, "liaison_b").post(
        f"/api/reports/{report.pk}/evidence/", {"file": png()}, format="multipart"
    )
    assert response.status_code == 404


def test_evidence_is_removed_through_the_api_only_from_a_draft(d):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    assert api(d, "leader").delete(f"/api/evidence/{attachment.pk}/").status_code == 403
    assert api(d, "liaison_a").delete(f"/api/evidence/{attachment.pk}/").status_code == 204


# due


def test_my_reports_due_through_the_api(d):
    response = api(d, "liaison_a").get("/api/reports/due/")
    assert response.status_code == 200
    items = response.json()
    assert items and all(i["task"] == d.task_a.pk and i["role"] == "lead" for i in items)
    assert api(d, "liaison_b").get("/api/reports/due/").json() == []


def test_every_endpoint_refuses_anonymous_callers(d):
    report = draft(d)
    attachment = actions.add_attachment(report, by=d.user("liaison_a"), file=png())
    c = api(d, "anonymous")
    calls = [
        ("get", f"/api/reports/{report.pk}/"),
        ("patch", f"/api/reports/{report.pk}/"),
        ("post", "/api/reports/"),
        ("post", f"/api/reports/{report.pk}/submit/"),
        ("post", f"/api/reports/{report.pk}/sign-off/"),
        ("post", f"/api/reports/{report.pk}/accept/"),
        ("post", f"/api/reports/{report.pk}/return/"),
        ("post", f"/api/reports/{report.pk}/evidence/"),
        ("post", "/api/reports/contribute/"),
        ("get", "/api/reports/due/"),
        ("get", "/api/evidence/"),
        ("get", f"/api/evidence/{attachment.pk}/download/"),
        ("delete", f"/api/evidence/{attachment.pk}/"),
        ("post", "/api/report-cycles/"),
        ("delete", f"/api/report-cycles/{d.cycle.pk}/"),
    ]
    for method, url in calls:
        assert getattr(c, method)(url).status_code in (401, 403), url
    assert Attachment.objects.exists() and ReportCycle.objects.exists()
