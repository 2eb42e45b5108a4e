"""Comments follow the object's access; a mention tells only someone who can see the object; the author
edits or deletes, and the history keeps what it said."""

import datetime

import pytest

from tongtui.collaboration import access, actions_comments, targets
from tongtui.core.errors import Forbidden
from tongtui.notify.models import Notification

D = datetime.date


def comment(d, who="liaison_a", text="@李局长 请审核;@赵联络 也看一下", task=None):
    target = targets.resolve(d.user(who), "task", (task or d.task_a).pk)
    return actions_comments.write(target, by=d.user(who), text=text)


def mentions_of(d, who):
    return Notification.objects.filter(recipient=d.user(who), kind="mention")


def test_a_mention_tells_someone_who_can_see_the_task(d):
    c = comment(d)
    assert mentions_of(d, "head_a").count() == 1
    assert list(c.mentions.all()) == [d.head_a]


def test_a_mention_of_someone_who_cannot_see_it_tells_nobody(d):
    comment(d)
    assert not mentions_of(d, "liaison_b").exists()  # 赵联络 is in unit B, not on task A
    assert not Notification.objects.filter(recipient=d.user("liaison_b")).exists()


def test_editing_tells_only_the_newly_mentioned_and_keeps_history(d):
    c = comment(d, text="@李局长 请审核")
    actions_comments.edit(c, by=d.user("liaison_a"), text="@李局长 请审核,@钱联络 请配合")
    assert mentions_of(d, "head_a").count() == 1
    assert mentions_of(d, "liaison_c").count() == 1
    assert c.history.count() == 2 and c.history.earliest().text == "@李局长 请审核"


def test_only_the_author_edits_or_deletes(d):
    c = comment(d)
    for who in ("head_a", "office"):
        with pytest.raises(Forbidden):
            actions_comments.edit(c, by=d.user(who), text="x")
        with pytest.raises(Forbidden):
            actions_comments.delete(c, by=d.user(who))
    actions_comments.delete(c, by=d.user("liaison_a"))
    c.refresh_from_db()
    assert c.deleted_at is not None and c.text == ""
    assert any(h.text.startswith("@李局长") for h in c.history.all())


def test_comments_on_a_task_follow_the_task(d):
    c = comment(d)
    for who in ("office", "leader", "head_a", "liaison_c"):
        assert access.comments_visible_to(d.user(who)).filter(pk=c.pk).exists()
    assert not access.comments_visible_to(d.user("liaison_b")).exists()


def test_an_outsider_cannot_comment(d):
    from django.http import Http404

    with pytest.raises(Http404):
        targets.resolve(d.user("liaison_b"), "task", d.task_a.pk)
    target = targets.resolve(d.user("office"), "task", d.task_a.pk)
    with pytest.raises(Forbidden):
        actions_comments.write(target, by=d.user("liaison_b"), text="x")


def test_a_comment_on_a_problem_follows_the_problem(d):
    from tongtui.dispatch import actions_problems

    problem = actions_problems.raise_problem(d.task_c, by=d.user("liaison_c"), title="资金缺口",
                                             addressed_to="office", answer_by=D(2026, 3, 20))  # fmt: skip
    target = targets.resolve(d.user("liaison_c"), "problem", problem.pk)
    c = actions_comments.write(target, by=d.user("liaison_c"), text="@张联络 请知悉")
    assert not mentions_of(d, "liaison_a").exists()  # unit A cannot see task C's problem
    assert not access.comments_visible_to(d.user("liaison_a")).filter(pk=c.pk).exists()
