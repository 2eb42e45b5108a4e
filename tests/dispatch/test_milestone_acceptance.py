"""Item 7: milestones are done through a report and the office's acceptance, not a free checkbox; claimed and
verified progress are both shown; accepted indicator values reach the task's indicator series."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.dispatch.conftest import MARCH, png
from tongtui.core.errors import ActionError, Forbidden
from tongtui.dispatch import actions, actions_milestones
from tongtui.dispatch.models import MilestoneClaim
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import IndicatorValue

D = datetime.date


@pytest.fixture
def ms(d):
    office = d.user("office")
    d.plain = plan_actions.add_milestone(
        d.task_a, by=office, title="完成可研批复", due=D(2026, 3, 20), planned_progress=Decimal(30)
    )
    d.proof = plan_actions.add_milestone(
        d.task_a,
        by=office,
        title="完成项目立项",
        due=D(2026, 3, 31),
        planned_progress=Decimal(40),
        evidence_required=True,
    )
    d.later = plan_actions.add_milestone(
        d.task_a, by=office, title="开工建设", due=D(2026, 4, 15), planned_progress=Decimal(60)
    )
    d.report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    actions.save_draft(
        d.report, by=d.user("liaison_a"), version=d.report.version, progress=Decimal(45), done="已批复"
    )
    return d


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


def accept(d):
    report = actions.submit_report(d.report, by=d.user("head_a"))
    return actions.accept_report(report, by=d.user("office"))


def test_the_report_offers_the_milestones_due_by_the_period_end(ms):
    assert list(actions_milestones.claimable(ms.report)) == [ms.plain, ms.proof]
    page = client(ms, "liaison_a").get(reverse("dispatch:report-edit", args=[ms.report.pk]))
    assert f'data-milestone="{ms.plain.pk}"'.encode() in page.content
    assert f'data-milestone="{ms.later.pk}"'.encode() not in page.content


def test_a_milestone_done_already_is_not_offered(ms):
    plan_actions.update_milestone(ms.plain, by=ms.user("office"), done_on=D(2026, 3, 1))
    assert list(actions_milestones.claimable(ms.report)) == [ms.proof]


def test_a_milestone_that_requires_evidence_is_refused_without_it(ms):
    with pytest.raises(ActionError, match="完成项目立项"):
        actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.proof.pk])
    assert not MilestoneClaim.objects.exists()


def test_the_page_says_why_a_tick_without_evidence_is_refused(ms):
    c = client(ms, "liaison_a")
    response = c.post(
        reverse("dispatch:report-milestones", args=[ms.report.pk]),
        {"milestone": [ms.proof.pk], "next": "edit"},
        follow=True,
    )
    assert "完成项目立项" in " ".join(str(m) for m in response.context["messages"])
    assert not MilestoneClaim.objects.exists()


def test_with_evidence_uploaded_in_the_same_step_the_tick_is_kept(ms):
    c = client(ms, "liaison_a")
    response = c.post(
        reverse("dispatch:report-milestones", args=[ms.report.pk]),
        {"milestone": [ms.plain.pk, ms.proof.pk], "documents": png()},
    )
    assert response.status_code == 302
    assert set(ms.report.milestone_claims.values_list("milestone_id", flat=True)) == {
        ms.plain.pk,
        ms.proof.pk,
    }
    assert ms.report.attachments.count() == 1


def test_unticking_withdraws_the_claim(ms):
    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.plain.pk])
    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[])
    assert not MilestoneClaim.objects.exists()


def test_submission_is_refused_when_the_evidence_was_removed(ms):
    attachment = actions.add_attachment(ms.report, by=ms.user("liaison_a"), file=png())
    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.proof.pk])
    actions.remove_attachment(attachment, by=ms.user("liaison_a"))
    with pytest.raises(ActionError, match="完成项目立项"):
        actions.submit_report(ms.report, by=ms.user("liaison_a"))


def test_only_the_lead_unit_claims_and_only_before_submission(ms):
    with pytest.raises(Forbidden):
        actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_c"), milestone_ids=[ms.plain.pk])
    with pytest.raises(ActionError):
        actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.later.pk])
    actions.submit_report(ms.report, by=ms.user("liaison_a"))
    with pytest.raises(ActionError):
        actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.plain.pk])


def test_acceptance_marks_the_claimed_milestones_done_through_the_plans_action(ms):
    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.plain.pk])
    assert actions_milestones.verified_progress(ms.task_a) is None
    accept(ms)
    ms.plain.refresh_from_db()
    assert ms.plain.done_on is not None and ms.plain.done_on <= MARCH.end
    assert ms.plain.history.first().history_user == ms.user("office")
    ms.proof.refresh_from_db()
    assert ms.proof.done_on is None
    assert actions_milestones.verified_progress(ms.task_a) == Decimal(30)


def test_verified_progress_reads_the_milestones_a_page_prefetched_and_says_the_same(ms, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    from tongtui.plans.models import Task

    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.plain.pk])
    accept(ms)
    task = Task.objects.get(pk=ms.task_a.pk)
    prefetch_related_objects([task], "milestones")
    with django_assert_num_queries(0):
        assert actions_milestones.verified_progress(task) == Decimal(30)
    assert actions_milestones.verified_progress(Task.objects.get(pk=ms.task_a.pk)) == Decimal(30)  # one query
    bare = Task.objects.get(pk=ms.task_c.pk)
    prefetch_related_objects([bare], "milestones")
    assert actions_milestones.verified_progress(bare) is None


def test_the_report_page_shows_claimed_and_verified_progress(ms):
    actions_milestones.claim_milestones(ms.report, by=ms.user("liaison_a"), milestone_ids=[ms.plain.pk])
    accept(ms)
    page = client(ms, "leader").get(reverse("dispatch:report-detail", args=[ms.report.pk]))
    text = page.content.decode()
    block = text[text.index('id="claimed-verified"') :][:400]
    assert "45" in block and "30" in block


def test_acceptance_records_the_reported_indicator_values(ms):
    indicator = plan_actions.add_indicator(
        ms.task_a, by=ms.user("office"), name="固定资产投资", target=Decimal(100)
    )
    actions.save_draft(
        ms.report,
        by=ms.user("liaison_a"),
        version=ms.report.version,
        indicator_values={indicator.pk: Decimal("37.5")},
    )
    accept(ms)
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.period, value.value) == (MARCH.end, Decimal("37.5"))
    assert value.history.first().history_user == ms.user("office")


def test_the_claim_page_is_404_for_outsiders_and_refused_to_co_units(ms):
    url = reverse("dispatch:report-milestones", args=[ms.report.pk])
    assert client(ms, "liaison_b").post(url, {"milestone": [ms.plain.pk]}).status_code == 404
    client(ms, "liaison_c").post(url, {"milestone": [ms.plain.pk]})
    assert not MilestoneClaim.objects.exists()
    response = client(ms, "anonymous").post(url, {"milestone": [ms.plain.pk]})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_api_claims_milestones_with_the_same_rules(ms):
    def api(who):
        c = APIClient()
        c.force_authenticate(ms.user(who))
        return c

    url = f"/api/reports/{ms.report.pk}/milestones/"
    assert api("liaison_b").post(url, {"milestones": [ms.plain.pk]}, format="json").status_code == 404
    assert api("liaison_c").post(url, {"milestones": [ms.plain.pk]}, format="json").status_code == 403
    refused = api("liaison_a").post(url, {"milestones": [ms.proof.pk]}, format="json")
    assert refused.status_code == 400
    ok = api("liaison_a").post(url, {"milestones": [ms.plain.pk]}, format="json")
    assert ok.status_code == 200 and ok.json()[0]["milestone"] == ms.plain.pk
