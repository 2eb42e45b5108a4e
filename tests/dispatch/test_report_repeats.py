"""Honest reports at submission: the form warns before a report that repeats last period's goes in, the liaison
may submit anyway, and the office then sees one flag; 完成把握 is chosen, never carried over."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.dispatch.conftest import APRIL, MARCH
from tests.dispatch.test_repeats import APRIL_HONEST, MARCH_DONE, MARCH_NEXT
from tongtui.dispatch import actions
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.supervision.models import FlagStatus, IntegrityFlag

APRIL_START = APRIL.start.isoformat()
FIGURES_ONLY = MARCH_DONE.replace("45%", "58%").replace("10个", "13个")


@pytest.fixture
def march(d):
    """Unit A's March report: sent in, with next steps and a confidence of 4."""
    liaison = d.user("liaison_a")
    report = actions.start_or_get_draft(d.task_a, MARCH, by=liaison)
    actions.save_draft(
        report, by=liaison, version=None, progress=Decimal(45), done=MARCH_DONE, next_steps=MARCH_NEXT,
        confidence=4,
    )  # fmt: skip
    return actions.submit_report(report, by=liaison)


def client(d, who="liaison_a") -> Client:
    c = Client()
    c.force_login(d.user(who))
    return c


def start_url(d) -> str:
    return reverse("dispatch:report-start", args=[d.task_a.pk, APRIL_START])


def post(d, url, done, submit="1", version="1", **extra):
    return client(d).post(
        url, {"progress": "58", "done": done, "version": version, "submit": submit, **extra}
    )


def april() -> ProgressReport:
    return ProgressReport.objects.get(period_start=APRIL.start)


# the form


def test_the_form_pre_fills_the_next_steps_says_so_and_leaves_confidence_to_choose(d, march):
    response = client(d).get(start_url(d))
    html = response.content.decode()
    assert response.status_code == 200
    assert MARCH_NEXT in html and 'id="prefill-hint"' in html
    assert 'id="confidence-last"' in html  # the hint names last period's value…
    assert "checked" not in html.split('id="confidence"')[1].split("</div>")[1]  # …and no button is chosen
    assert 'id="repeat-warning"' not in html  # nothing was written yet: no warning


def test_the_hint_names_last_periods_confidence(d, march):
    html = client(d).get(start_url(d)).content.decode()
    hint = html.split('id="confidence-last"')[1].split("</span>")[0]
    assert "4" in hint


def test_a_report_submitted_with_the_pre_fill_unchanged_stops_at_a_gentle_warning(
    d, march, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(d, start_url(d), MARCH_NEXT)
    report = april()
    assert response.status_code == 302 and response.url == reverse("dispatch:report-edit", args=[report.pk])
    assert report.status == ReportStatus.DRAFT and report.done == MARCH_NEXT  # the text is kept as a draft
    page = client(d).get(response.url).content.decode()
    assert 'data-repeat="same_as_prefill"' in page and 'id="submit-anyway"' in page
    assert 'name="submit" value="anyway"' in page
    assert not IntegrityFlag.objects.exists()


def test_the_liaison_may_submit_anyway_and_the_office_sees_one_flag(
    d, march, django_capture_on_commit_callbacks
):
    post(d, start_url(d), MARCH_NEXT)
    report = april()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            d, reverse("dispatch:report-edit", args=[report.pk]), MARCH_NEXT, "anyway", report.version
        )
    report.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("dispatch:report-detail", args=[report.pk])
    assert report.status == ReportStatus.SUBMITTED
    flag = IntegrityFlag.objects.get()
    assert (flag.kind, flag.report_id, flag.task_id, flag.unit_id) == (
        "same_as_prefill",
        report.pk,
        d.task_a.pk,
        d.unit_a.pk,
    )
    assert flag.figures["passages"] == [MARCH_NEXT] and flag.figures["other_report"] == march.pk
    assert MARCH_NEXT in flag.reason and "2026-03-31" in flag.reason_en


def test_figures_changed_only_is_warned_with_the_figures_that_changed(d, march):
    post(d, start_url(d), FIGURES_ONLY)
    page = client(d).get(reverse("dispatch:report-edit", args=[april().pk])).content.decode()
    assert 'data-repeat="figures_changed_only"' in page and "45→58、10→13" in page
    assert april().status == ReportStatus.DRAFT


def test_a_changed_text_is_checked_again_on_submission(d, march):
    post(d, start_url(d), MARCH_NEXT)
    report = april()
    edit = reverse("dispatch:report-edit", args=[report.pk])
    post(d, edit, FIGURES_ONLY, "1", report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.done == FIGURES_ONLY
    assert 'data-repeat="figures_changed_only"' in client(d).get(edit).content.decode()
    post(d, edit, APRIL_HONEST, "1", report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_honest_report_goes_straight_in_without_a_flag(d, march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(d, start_url(d), APRIL_HONEST, confidence="3")
    report = april()
    assert response.url == reverse("dispatch:report-detail", args=[report.pk])
    assert report.status == ReportStatus.SUBMITTED and report.confidence == 3
    assert not IntegrityFlag.objects.exists()


def test_a_tasks_first_report_is_never_warned(d):
    url = reverse("dispatch:report-start", args=[d.task_a.pk, MARCH.start.isoformat()])
    response = post(d, url, MARCH_DONE)
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED
    assert response.url.endswith(f"/{ProgressReport.objects.get().pk}/")


def test_a_report_submitted_anyway_twice_keeps_one_flag_and_the_offices_verdict(
    d, march, django_capture_on_commit_callbacks
):
    post(d, start_url(d), MARCH_NEXT)
    report = april()
    edit = reverse("dispatch:report-edit", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        post(d, edit, MARCH_NEXT, "anyway", report.version)
        post(d, edit, MARCH_NEXT, "anyway", report.version)  # the double click: refused, nothing more
    flag = IntegrityFlag.objects.get()
    IntegrityFlag.objects.filter(pk=flag.pk).update(status=FlagStatus.DISMISSED, note="已核实")
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.return_report(report, by=d.user("office"), reason="请写明本月实际完成的工作")
        report.refresh_from_db()
        actions.submit_report(report, by=d.user("liaison_a"))  # sent in again, still unchanged
        actions.sign_off(report, by=d.user("head_a"))
    again = IntegrityFlag.objects.get()
    assert again.pk == flag.pk and again.status == FlagStatus.DISMISSED and again.note == "已核实"


def test_a_corrected_resubmission_drops_the_flag_still_waiting(d, march, django_capture_on_commit_callbacks):
    post(d, start_url(d), MARCH_NEXT)
    report = april()
    with django_capture_on_commit_callbacks(execute=True):
        post(d, reverse("dispatch:report-edit", args=[report.pk]), MARCH_NEXT, "anyway", report.version)
    assert IntegrityFlag.objects.count() == 1
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.return_report(report, by=d.user("office"), reason="请写明本月实际完成的工作")
        report.refresh_from_db()
        actions.save_draft(report, by=d.user("liaison_a"), version=report.version, done=APRIL_HONEST)
        actions.submit_report(report, by=d.user("liaison_a"))
    assert not IntegrityFlag.objects.exists()


# the API


def api(d, who="liaison_a") -> APIClient:
    c = APIClient()
    c.force_authenticate(d.user(who))
    return c


def test_the_api_answers_with_the_same_warning_before_and_after_submission(
    d, march, django_capture_on_commit_callbacks
):
    c = api(d)
    started = c.post(
        "/api/reports/", {"task": d.task_a.pk, "period_start": APRIL_START}, format="json"
    ).json()
    assert (
        started["done"] == MARCH_NEXT
        and started["confidence"] is None
        and started["previous_confidence"] == 4
    )
    assert started["repeat_warning"]["code"] == "same_as_prefill"
    url = f"/api/reports/{started['id']}/"
    honest = c.patch(url, {"version": started["version"], "done": APRIL_HONEST}, format="json").json()
    assert honest["repeat_warning"] is None
    copied = c.patch(url, {"version": honest["version"], "done": FIGURES_ONLY}, format="json").json()
    warning = copied["repeat_warning"]
    assert warning["code"] == "figures_changed_only" and warning["changes"] == [["45", "58"], ["10", "13"]]
    assert warning["message"] and warning["passage"] == FIGURES_ONLY[:40] + "…"
    assert c.get(url).json()["repeat_warning"]["code"] == "figures_changed_only"
    with django_capture_on_commit_callbacks(execute=True):
        sent = c.post(f"{url}submit/", {"version": copied["version"]}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"  # a warning, never a refusal
    assert sent.json()["repeat_warning"]["code"] == "figures_changed_only"
    assert list(IntegrityFlag.objects.values_list("kind", flat=True)) == ["figures_changed_only"]


def test_the_api_list_does_not_check_each_report(d, march):
    row = api(d).get("/api/reports/").json()["results"][0]
    assert "repeat_warning" not in row and "previous_confidence" not in row


def test_an_outsider_gets_404_not_a_warning(d, march):
    assert api(d, "liaison_b").get(f"/api/reports/{march.pk}/").status_code == 404
