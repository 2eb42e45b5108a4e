from decimal import Decimal

import pytest
from django.urls import reverse

from tongtui.plans import actions
from tongtui.plans.models import TaskStatus


def act(cast, who, task, action, data=None):
    return cast.client(who).post(reverse("task-action", args=[task.pk, action]), data or {})


def status_of(task) -> str:
    task.refresh_from_db()
    return task.status


def message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_office_assigns_a_draft_task(cast):
    response = act(cast, "office", cast.task_a, "assign")
    assert response.status_code == 302
    assert response["Location"] == reverse("task-detail", args=[cast.task_a.pk])
    assert status_of(cast.task_a) == TaskStatus.ASSIGNED


def test_the_assign_button_is_shown_to_the_office_only(cast):
    assert (
        'id="action-assign"'
        in cast.client("office").get(reverse("task-detail", args=[cast.task_a.pk])).content.decode()
    )
    for who in ["leader", "head_a", "liaison_a"]:
        page = cast.client(who).get(reverse("task-detail", args=[cast.task_a.pk])).content.decode()
        assert 'id="action-assign"' not in page, who


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_other_roles_cannot_assign(cast, who):
    response = act(cast, who, cast.task_a, "assign")
    assert response.status_code == 403
    assert message(response)
    assert status_of(cast.task_a) == TaskStatus.DRAFT


@pytest.mark.parametrize("action", ["assign", "acknowledge", "progress", "close", "cancel"])
def test_an_outsider_gets_404_from_every_action(cast, action):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    response = act(cast, "liaison_b", cast.task_a, action, {"progress-progress": "50", "cancel-reason": "x"})
    assert response.status_code == 404
    assert status_of(cast.task_a) == TaskStatus.ASSIGNED


def test_unit_a_gets_404_from_actions_on_unit_cs_task(cast):
    actions.assign_task(cast.task_c, by=cast.user("office"))
    assert act(cast, "liaison_a", cast.task_c, "acknowledge").status_code == 404


def test_actions_refuse_get(cast):
    response = cast.client("office").get(reverse("task-action", args=[cast.task_a.pk, "assign"]))
    assert response.status_code == 405


def test_an_unknown_action_is_404(cast):
    assert act(cast, "office", cast.task_a, "explode").status_code == 404


def test_assigning_without_a_responsible_person_shows_why(cast):
    actions.update_task(cast.task_a, by=cast.user("office"), owner=None)
    response = act(cast, "office", cast.task_a, "assign")
    assert response.status_code == 400
    assert "responsible person" in message(response) or "责任人" in message(response)
    assert status_of(cast.task_a) == TaskStatus.DRAFT


def test_liaison_a_acknowledges_for_the_lead_unit(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    page = cast.client("liaison_a").get(reverse("task-detail", args=[cast.task_a.pk])).content.decode()
    assert 'id="action-acknowledge"' in page
    response = act(cast, "liaison_a", cast.task_a, "acknowledge", {"acknowledge-unit": cast.unit_a.pk})
    assert response.status_code == 302
    assert status_of(cast.task_a) == TaskStatus.ACKNOWLEDGED
    page = cast.client("liaison_a").get(reverse("task-detail", args=[cast.task_a.pk])).content.decode()
    assert 'id="action-acknowledge"' not in page


def test_a_user_of_two_units_chooses_which_one_acknowledges(cast, liaison_c):
    from tongtui.orgs.models import Membership

    Membership.objects.create(person=cast.liaison_a, unit=cast.unit_c, role="liaison")
    actions.assign_task(cast.task_a, by=cast.user("office"))
    response = cast.client("liaison_a").get(reverse("task-detail", args=[cast.task_a.pk]))
    assert [u.pk for u in response.context["actions"]["ack_units"]] == [cast.unit_a.pk, cast.unit_c.pk]
    assert 'id="form-acknowledge"' in response.content.decode()
    act(cast, "liaison_a", cast.task_a, "acknowledge", {"acknowledge-unit": cast.unit_c.pk})
    link = cast.task_a.co_unit_links.get(unit=cast.unit_c)
    assert link.acknowledged_at is not None
    assert status_of(cast.task_a) == TaskStatus.ASSIGNED  # the lead unit has not acknowledged yet


def test_acknowledging_a_draft_is_refused(cast):
    response = act(cast, "liaison_a", cast.task_a, "acknowledge", {"acknowledge-unit": cast.unit_a.pk})
    assert response.status_code == 403
    assert status_of(cast.task_a) == TaskStatus.DRAFT


def test_liaison_a_records_progress_with_a_note(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_a"))
    response = act(
        cast, "liaison_a", cast.task_a, "progress", {"progress-progress": "35", "progress-note": "完成立项"}
    )
    assert response.status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress == Decimal(35)
    assert cast.task_a.progress_note == "完成立项"
    assert cast.task_a.status == TaskStatus.IN_PROGRESS


def test_bad_progress_keeps_what_was_typed(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_a"))
    response = act(
        cast, "liaison_a", cast.task_a, "progress", {"progress-progress": "150", "progress-note": "写了很多"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "写了很多" in page
    assert 'id="form-progress"' in page and "collapse show" in page
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress == 0


def test_a_co_unit_cannot_record_the_lead_units_progress(cast, liaison_c):
    office = cast.user("office")
    actions.assign_task(cast.task_a, by=office)
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_a"))
    from django.test import Client

    client = Client()
    client.force_login(liaison_c)
    response = client.post(
        reverse("task-action", args=[cast.task_a.pk, "progress"]), {"progress-progress": "90"}
    )
    assert response.status_code == 403
    cast.task_a.refresh_from_db()
    assert cast.task_a.progress == 0


def in_progress(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_a"))
    actions.record_progress(cast.task_a, by=cast.user("liaison_a"), progress=Decimal(90))


def test_the_unit_head_requests_completion_and_the_office_sends_it_back_with_a_reason(cast):
    in_progress(cast)
    assert act(cast, "liaison_a", cast.task_a, "request-completion").status_code == 403
    assert act(cast, "head_a", cast.task_a, "request-completion").status_code == 302
    assert status_of(cast.task_a) == TaskStatus.COMPLETION_REQUESTED
    no_reason = act(cast, "office", cast.task_a, "return", {"return-reason": ""})
    assert no_reason.status_code == 400
    assert status_of(cast.task_a) == TaskStatus.COMPLETION_REQUESTED
    assert act(cast, "office", cast.task_a, "return", {"return-reason": "佐证不足"}).status_code == 302
    assert status_of(cast.task_a) == TaskStatus.IN_PROGRESS
    assert cast.task_a.history.first().history_change_reason == "佐证不足"


def test_the_office_closes_a_task(cast):
    in_progress(cast)
    assert act(cast, "head_a", cast.task_a, "close").status_code == 403
    assert act(cast, "office", cast.task_a, "close", {"close-reason": ""}).status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.CLOSED
    assert cast.task_a.progress == 100


def test_the_office_suspends_resumes_and_cancels_with_reasons(cast):
    in_progress(cast)
    assert act(cast, "office", cast.task_a, "suspend", {"suspend-reason": ""}).status_code == 400
    assert act(cast, "office", cast.task_a, "suspend", {"suspend-reason": "政策调整"}).status_code == 302
    assert status_of(cast.task_a) == TaskStatus.SUSPENDED
    assert act(cast, "leader", cast.task_a, "resume").status_code == 403
    assert act(cast, "office", cast.task_a, "resume", {"resume-reason": ""}).status_code == 302
    assert status_of(cast.task_a) == TaskStatus.IN_PROGRESS
    assert act(cast, "office", cast.task_a, "cancel", {"cancel-reason": ""}).status_code == 400
    assert act(cast, "office", cast.task_a, "cancel", {"cancel-reason": "并入其他任务"}).status_code == 302
    assert status_of(cast.task_a) == TaskStatus.CANCELLED


def test_a_refused_action_is_shown_as_a_message_on_the_task_page(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    response = act(cast, "office", cast.task_a, "assign")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-message-level="error"' in page
    assert 'id="task-header"' in page
