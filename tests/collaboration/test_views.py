"""The pages for the fixed cast: lists with filters (query counts pinned), writing and replying to an
instruction from the phone-sized form, 圈阅, requests, comments; the panel on the task, report, problem and
bulletin pages; outsiders 404 everywhere; the homes' piles."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.collaboration.conftest import ask, instruct
from tongtui.collaboration import actions, actions_comments, targets
from tongtui.collaboration.models import (
    Comment,
    CoordinationRequest,
    Instruction,
    InstructionStatus,
    RequestStatus,
)

D = datetime.date


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_c"])
def test_insiders_see_the_instruction_and_the_panel(d, who):
    i = instruct(d)
    page = client(d, who).get(reverse("collaboration:instruction-detail", args=[i.pk]))
    assert page.status_code == 200 and "请加快项目前期手续办理" in page.content.decode()
    task = client(d, who).get(reverse("task-detail", args=[d.task_a.pk])).content.decode()
    assert f'data-instruction="{i.pk}"' in task


def test_outsiders_get_404_on_every_collaboration_page(d):
    i, req = instruct(d), ask(d)
    c = Comment.objects.create(target_kind="task", task=d.task_a, text="x", author=d.user("liaison_a"))
    b = client(d, "liaison_b")
    gets = [
        reverse("collaboration:instruction-detail", args=[i.pk]),
        reverse("collaboration:request-detail", args=[req.pk]),
        reverse("collaboration:instruction-new") + f"?kind=task&id={d.task_a.pk}",
        reverse("collaboration:request-new") + f"?task={d.task_a.pk}",
    ]
    for url in gets:
        assert b.get(url).status_code == 404, url
    posts = [
        (reverse("collaboration:instruction-reply", args=[i.pk]), {"text": "x"}),
        (reverse("collaboration:instruction-close", args=[i.pk]), {}),
        (reverse("collaboration:instruction-make-task", args=[i.pk]), {}),
        (reverse("collaboration:instruction-make-milestone", args=[i.pk]), {}),
        (reverse("collaboration:mark-read"), {"kind": "task", "id": d.task_a.pk}),
        (reverse("collaboration:request-step", args=[req.pk, "decline"]), {"reason": "x"}),
        (reverse("collaboration:comment-new"), {"kind": "task", "id": d.task_a.pk, "text": "x"}),
        (reverse("collaboration:comment-edit", args=[c.pk]), {"text": "y"}),
        (reverse("collaboration:comment-delete", args=[c.pk]), {}),
    ]
    for url, body in posts:
        assert b.post(url, body).status_code == 404, url
    assert not b.get(reverse("collaboration:instruction-list") + "?tab=all").context["page"].object_list
    assert not b.get(reverse("collaboration:request-list") + "?tab=all").context["page"].object_list


def test_anonymous_gets_the_login_page(d):
    i = instruct(d)
    for url in (reverse("collaboration:instruction-list"), reverse("collaboration:request-list"),
                reverse("collaboration:instruction-detail", args=[i.pk]),
                reverse("collaboration:mention-names") + "?q=张"):  # fmt: skip
        r = client(d, "anonymous").get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_a_leader_writes_an_instruction_from_the_task_page(d):
    leader = client(d, "leader")
    task_page = leader.get(reverse("task-detail", args=[d.task_a.pk])).content.decode()
    assert 'id="write-instruction"' in task_page and 'id="mark-read"' in task_page
    form = leader.get(reverse("collaboration:instruction-new") + f"?kind=task&id={d.task_a.pk}")
    assert form.status_code == 200
    r = leader.post(reverse("collaboration:instruction-new"), {
        "kind": "task", "id": d.task_a.pk, "text": "请抓紧推进", "units": [d.unit_a.pk, d.unit_c.pk],
        "reply_within": 3,
    })  # fmt: skip
    assert r.status_code == 302
    i = Instruction.objects.get()
    assert set(i.unit_links.values_list("unit_id", flat=True)) == {d.unit_a.pk, d.unit_c.pk}
    assert client(d, "liaison_a").get(reverse("collaboration:instruction-new") + f"?kind=task&id={d.task_a.pk}")\
        .status_code == 404  # fmt: skip


def test_reply_and_close_through_the_pages(d):
    i = instruct(d)
    r = client(d, "liaison_a").post(reverse("collaboration:instruction-reply", args=[i.pk]), {"text": "已办结"})
    assert r.status_code == 302
    i.refresh_from_db()
    assert i.status == InstructionStatus.REPLIED
    client(d, "leader").post(reverse("collaboration:instruction-close", args=[i.pk]), {"note": "同意"})
    i.refresh_from_db()
    assert i.status == InstructionStatus.CLOSED


def test_mark_read_shows_on_the_task(d):
    leader = client(d, "leader")
    leader.post(reverse("collaboration:mark-read"), {"kind": "task", "id": d.task_a.pk})
    page = client(d, "liaison_a").get(reverse("task-detail", args=[d.task_a.pk])).content.decode()
    assert "data-read-mark" in page


def test_the_panel_shows_on_report_problem_and_bulletin_pages(d):
    from tongtui.dispatch import actions_problems
    from tongtui.dispatch.models import ProgressReport
    from tongtui.publicity.models import Bulletin

    report = ProgressReport.objects.create(task=d.task_a, unit=d.unit_a, period_start=D(2026, 3, 1),
                                           period_end=D(2026, 3, 31))  # fmt: skip
    problem = actions_problems.raise_problem(d.task_a, by=d.user("liaison_a"), title="资金缺口",
                                             addressed_to="office", answer_by=D(2026, 3, 20))  # fmt: skip
    bulletin = Bulletin.objects.create(plan=d.plan, period_start=D(2026, 3, 1), as_of=D(2026, 3, 31), title="通报")
    leader = client(d, "leader")
    for url in (reverse("dispatch:report-detail", args=[report.pk]),
                reverse("dispatch:problem-detail", args=[problem.pk]),
                reverse("publicity:detail", args=[bulletin.pk])):  # fmt: skip
        page = leader.get(url)
        assert page.status_code == 200 and 'id="collaboration-panel"' in page.content.decode(), url


def test_comments_through_the_pages_with_a_mention(d):
    r = client(d, "liaison_a").post(reverse("collaboration:comment-new"),
                                    {"kind": "task", "id": d.task_a.pk, "text": "@李局长 请看"})  # fmt: skip
    c = Comment.objects.get()
    assert r.status_code == 302 and r.url.endswith(f"#comment-{c.pk}")
    page = client(d, "head_a").get(reverse("task-detail", args=[d.task_a.pk])).content.decode()
    assert f'id="comment-{c.pk}"' in page and "<strong class=\"text-primary\">@李局长</strong>" in page
    client(d, "head_a").post(reverse("collaboration:comment-delete", args=[c.pk]))  # not the author: refused
    c.refresh_from_db()
    assert c.deleted_at is None
    client(d, "liaison_a").post(reverse("collaboration:comment-edit", args=[c.pk]), {"text": "@李局长 请审核"})
    c.refresh_from_db()
    assert c.text == "@李局长 请审核" and c.edited_at is not None


def test_mention_names_complete_names_only(d):
    r = client(d, "liaison_a").get(reverse("collaboration:mention-names") + "?q=李")
    assert r.json() == {"names": ["李局长"]}


def test_a_request_through_the_pages(d):
    r = client(d, "liaison_a").post(reverse("collaboration:request-new"), {
        "task": d.task_a.pk, "to_unit": d.unit_c.pk, "subject": "请提供数据", "reply_within": 5,
    })  # fmt: skip
    assert r.status_code == 302
    req = CoordinationRequest.objects.get()
    page = client(d, "liaison_c").get(reverse("collaboration:request-detail", args=[req.pk])).content.decode()
    assert 'id="accept-form"' in page
    client(d, "liaison_c").post(reverse("collaboration:request-step", args=[req.pk, "accept"]),
                                {"related_task": d.task_c.pk})  # fmt: skip
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.related_task == d.task_c
    task_page = client(d, "liaison_a").get(reverse("task-detail", args=[d.task_a.pk])).content.decode()
    assert "data-linked-task" in task_page and d.task_c.title[:10] in task_page
    other_side = client(d, "liaison_c").get(reverse("task-detail", args=[d.task_c.pk])).content.decode()
    assert f'data-coordination="{req.pk}"' in other_side


def test_the_office_filters_overdue_requests(d):
    late = ask(d, today=D(2026, 1, 5))
    ask(d, today=timezone.localdate())
    office = client(d, "office")
    page = office.get(reverse("collaboration:request-list") + "?tab=all&overdue=true")
    assert [r.pk for r in page.context["page"].object_list] == [late.pk]
    page = office.get(reverse("collaboration:request-list") + f"?tab=all&unit={d.unit_c.pk}&status=pending")
    assert len(page.context["page"].object_list) == 2


def test_lists_cost_a_fixed_number_of_queries(d, django_assert_max_num_queries):
    for n in range(6):
        instruct(d, text=f"批示{n}")
        ask(d)
    office = client(d, "office")
    office.get(reverse("collaboration:instruction-list"))
    with django_assert_max_num_queries(16):
        assert office.get(reverse("collaboration:instruction-list") + "?tab=all").status_code == 200
    with django_assert_max_num_queries(14):
        assert office.get(reverse("collaboration:request-list") + "?tab=all").status_code == 200


def test_the_homes_show_the_piles(d):
    i = instruct(d, today=D(2026, 1, 5))
    ask(d, today=D(2026, 1, 5))
    liaison = client(d, "liaison_a").get(reverse("home")).context["home"]
    keys = {p.key: p.count for s in liaison.sections for p in s.piles}
    assert keys["instructions"] == 1
    c_home = client(d, "liaison_c").get(reverse("home")).context["home"]
    assert {p.key: p.count for s in c_home.sections for p in s.piles}["coordination"] == 1
    office = client(d, "office").get(reverse("home")).context["home"]
    keys = {p.key: p.count for s in office.sections for p in s.piles}
    assert keys["instructions_overdue"] == 1 and keys["coordination_overdue"] == 1
    actions.reply(i, by=d.user("liaison_a"), text="已办")
    leader = client(d, "leader").get(reverse("home")).context["home"]
    assert {p.key: p.count for s in leader.sections for p in s.piles}["instructions_replied"] == 1


def test_a_mention_is_not_a_way_to_see_a_hidden_task(d):
    target = targets.resolve(d.user("liaison_a"), "task", d.task_a.pk)
    c = actions_comments.write(target, by=d.user("liaison_a"), text="@赵联络 看看")
    assert client(d, "liaison_b").get(reverse("task-detail", args=[d.task_a.pk]) + f"#comment-{c.pk}")\
        .status_code == 404  # fmt: skip


def test_the_task_page_costs_the_same_with_many_instructions_requests_and_comments(d, django_assert_max_num_queries):
    for n in range(5):
        instruct(d, text=f"批示{n}")
        ask(d)
        target = targets.resolve(d.user("liaison_a"), "task", d.task_a.pk)
        actions_comments.write(target, by=d.user("liaison_a"), text=f"@李局长 评论{n}")
    c = client(d, "liaison_a")
    c.get(reverse("task-detail", args=[d.task_a.pk]))
    with django_assert_max_num_queries(28):  # the year-end conclusion: one more
        assert c.get(reverse("task-detail", args=[d.task_a.pk])).status_code == 200
