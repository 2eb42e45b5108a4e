"""GET /api/tasks/{id}/?include=reports: the task and its reports in one answer, as the report list shows them."""

from decimal import Decimal

from rest_framework.test import APIClient

from tests.dispatch.conftest import APRIL, MARCH
from tongtui.dispatch import actions


def api(d, who) -> APIClient:
    c = APIClient()
    c.force_authenticate(d.user(who))
    return c


def file_two(d):
    by = d.user("liaison_a")
    for period in (MARCH, APRIL):
        report = actions.start_or_get_draft(d.task_a, period, by=by)
        actions.save_draft(report, by=by, version=report.version, progress=Decimal(35), done="完成可研批复")
        actions.submit_report(report, by=by)


def test_it_returns_the_task_with_its_reports_as_the_report_list_does(d):
    file_two(d)
    for who in ("office", "liaison_a", "liaison_c"):
        client = api(d, who)
        both = client.get(f"/api/tasks/{d.task_a.pk}/?include=reports").json()
        task = client.get(f"/api/tasks/{d.task_a.pk}/").json()
        listed = client.get(f"/api/reports/?task={d.task_a.pk}").json()["results"]
        assert both.pop("reports") == listed
        assert both == task
        assert [r["period_start"] for r in listed] == ["2026-04-01", "2026-03-01"]


def test_without_include_the_answer_has_no_reports(d):
    file_two(d)
    assert "reports" not in api(d, "office").get(f"/api/tasks/{d.task_a.pk}/").json()


def test_an_outsider_gets_404_with_or_without_include(d):
    file_two(d)
    assert api(d, "liaison_b").get(f"/api/tasks/{d.task_a.pk}/?include=reports").status_code == 404


def test_an_unknown_include_is_a_400(d):
    response = api(d, "office").get(f"/api/tasks/{d.task_a.pk}/?include=milestonez")
    assert response.status_code == 400
    assert "include" in response.json()


def test_the_schema_documents_the_include_parameter(d):
    schema = api(d, "office").get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/tasks/{id}/"]["get"]["parameters"]
    include = next(p for p in parameters if p["name"] == "include")
    assert include["schema"]["enum"] == ["reports"]
