"""Working-day overrides by year, and the notice when the official calendar does not know a year."""

import datetime

import pytest
from django.urls import reverse

from tests.setup.conftest import history_user, messages_of
from tongtui.core import actions as core_actions
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import add_workdays

D = datetime.date


def test_the_office_enters_a_holiday_week_and_deadlines_follow(cast, office):
    assert add_workdays(D(2099, 1, 29), 1) == D(2099, 1, 30)  # Thursday, then Friday
    response = office.post(reverse("setup:workday-add"),
                           {"date": "2099-01-30", "until": "2099-02-03", "is_workday": "0", "note": "春节"})  # fmt: skip
    assert response["Location"] == reverse("setup:workdays") + "?year=2099"
    days = list(WorkdayOverride.objects.order_by("date").values_list("date", "is_workday", "note"))
    assert days == [(D(2099, 1, 30) + datetime.timedelta(days=i), False, "春节") for i in range(5)]
    assert all(history_user(o) == cast.user("office") for o in WorkdayOverride.objects.all())
    assert add_workdays(D(2099, 1, 29), 1) == D(2099, 2, 4)  # Friday to Tuesday off


def test_an_adjusted_working_day_is_entered_and_taken_back(cast, office):
    office.post(reverse("setup:workday-add"), {"date": "2099-02-07", "is_workday": "1", "note": "调休上班"})
    override = WorkdayOverride.objects.get(date=D(2099, 2, 7))
    assert override.is_workday
    page = office.get(reverse("setup:workdays"), {"year": 2099})
    assert [r["override"] for r in page.context["rows"]] == [override]
    assert page.context["rows"][0]["official"] is False  # a Saturday
    response = office.post(reverse("setup:workday-remove", args=[override.pk]), follow=True)
    assert not WorkdayOverride.objects.exists()
    assert "2099-02-07 follows the official calendar again." in messages_of(response)
    entry = WorkdayOverride.history.filter(id=override.pk, history_type="-").get()
    assert entry.history_user == cast.user("office")
    with pytest.raises(ActionError):
        core_actions.remove_workday_override(override, by=cast.user("office"))


def test_entering_a_day_again_changes_it(cast, office):
    office.post(reverse("setup:workday-add"), {"date": "2099-05-01", "is_workday": "1"})
    office.post(reverse("setup:workday-add"), {"date": "2099-05-01", "is_workday": "0", "note": "劳动节"})
    assert list(WorkdayOverride.objects.values_list("is_workday", "note")) == [(False, "劳动节")]


def test_a_backwards_or_too_long_range_is_refused(cast, office):
    url = reverse("setup:workday-add")
    backwards = office.post(url, {"date": "2099-02-03", "until": "2099-01-30", "is_workday": "0"})
    assert backwards.status_code == 400 and "until" in backwards.context["form"].errors
    too_long = office.post(url, {"date": "2099-01-01", "until": "2099-03-01", "is_workday": "0"})
    assert too_long.status_code == 400
    assert not WorkdayOverride.objects.exists()


def test_a_year_the_official_calendar_does_not_know_gets_a_clear_notice(cast, office):
    unknown = office.get(reverse("setup:workdays"), {"year": 2099})
    assert not unknown.context["known"] and 'id="calendar-unknown"' in unknown.content.decode()
    known = office.get(reverse("setup:workdays"), {"year": 2026})
    assert known.context["known"] and 'id="calendar-unknown"' not in known.content.decode()
    assert 2099 in unknown.context["years"]


def test_only_the_office_changes_working_days(cast):
    with pytest.raises(Forbidden):
        core_actions.set_workday_override(by=cast.user("leader"), date=D(2099, 1, 1), is_workday=False)
    assert not WorkdayOverride.objects.exists()
