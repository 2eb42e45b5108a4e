"""One object's address looks its row up through the list's filters only when its query string names one: no
FilterSet is built for a plain step (each would copy every filter and build a form), and a filter that is named
still narrows and is still checked."""

import datetime

import pytest

from tongtui.dispatch.api import ReportFilter
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans import actions as plan_actions


@pytest.fixture
def built(monkeypatch):
    """How many ReportFilter sets were built."""
    count = []
    original = ReportFilter.__init__

    def counting(self, *args, **kwargs):
        count.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ReportFilter, "__init__", counting)
    return count


@pytest.fixture
def draft(cast):
    plan_actions.assign_task(cast.task_a, by=cast.user("office"))
    return ProgressReport.objects.create(
        task=cast.task_a, unit=cast.task_a.lead_unit, period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30), status=ReportStatus.DRAFT,
    )  # fmt: skip


def test_a_step_without_a_filter_builds_no_filterset(cast, api, draft, built):
    client = api("liaison_a")
    answer = client.patch(f"/api/reports/{draft.pk}/", {"version": draft.version, "done": "完成立项"}, format="json")
    assert answer.status_code == 200, answer.content
    assert client.get(f"/api/reports/{draft.pk}/").status_code == 200
    assert built == []
    assert client.get("/api/reports/").status_code == 200  # a list builds its filters
    assert built == [1]


def test_a_filter_named_on_an_objects_address_still_narrows_and_is_checked(cast, api, draft, built):
    client = api("liaison_a")
    assert draft.status == ReportStatus.DRAFT
    assert client.get(f"/api/reports/{draft.pk}/?status=draft").status_code == 200
    assert client.get(f"/api/reports/{draft.pk}/?status=accepted").status_code == 404
    assert client.get(f"/api/reports/{draft.pk}/?task=0.5").status_code == 400
    assert len(built) == 3
