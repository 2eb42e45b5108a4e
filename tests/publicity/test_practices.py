"""Practices (典型经验 · 创新举措): the workflow, who may take each step, the related tasks, photos, and the
assessment bonus recorded once on publication and withdrawn when the practice is unpublished."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.publicity.conftest import PNG, write
from tongtui.assessment.models import ManualEntry
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.notify.models import Notification
from tongtui.plans.models import Task
from tongtui.publicity import actions_practices as a
from tongtui.publicity.access_practices import practices_visible_to
from tongtui.publicity.compose import Facts, PracticeFact, practices, sections
from tongtui.publicity.facts import practices_in
from tongtui.publicity.models import Practice, PracticeStatus, Scope

D = datetime.date


def test_a_liaison_writes_a_draft_of_their_unit(cast, practice):
    assert practice.status == PracticeStatus.DRAFT and practice.unit == cast.unit_a
    assert list(practice.tasks.all()) == [cast.task_a]
    assert practice.history.first().history_user == cast.user("liaison_a")


@pytest.mark.parametrize("who", ["liaison_b", "office", "leader"])
def test_nobody_else_writes_for_unit_a(cast, who):
    with pytest.raises(Forbidden):
        write(cast, who=who)


def test_only_tasks_the_unit_sees_can_be_related(cast):
    with pytest.raises(ActionError):  # task_c is unit C's alone
        write(cast, tasks=[cast.task_c])
    write(cast, who="liaison_b", unit=cast.unit_b, tasks=[])  # none is fine


def test_the_full_way_to_publication_with_a_return(cast, practice):
    office, liaison = cast.user("office"), cast.user("liaison_a")
    a.submit(practice, by=liaison)
    assert Notification.objects.filter(recipient=office, kind="practice").count() == 1
    a.return_practice(practice, by=office, reason="请补充成效数据")
    assert practice.status == PracticeStatus.RETURNED and practice.review_note == "请补充成效数据"
    assert Notification.objects.filter(recipient=liaison, kind="practice").count() == 1
    a.edit_practice(practice, by=liaison, version=practice.version, kind="innovation", title="新标题",
                    summary="摘要", body="正文", tasks=[cast.task_a])  # fmt: skip
    a.submit(practice, by=liaison)
    a.select(practice, by=office)
    a.publish(practice, by=office)
    assert practice.status == PracticeStatus.PUBLISHED and practice.published_at is not None
    assert Notification.objects.filter(recipient=cast.user("leader"), kind="practice").count() == 1


def test_the_unit_cannot_review_and_the_office_cannot_submit(cast, practice):
    with pytest.raises(Forbidden):
        a.submit(practice, by=cast.user("office"))
    a.submit(practice, by=cast.user("liaison_a"))
    for step in (a.select, a.publish):
        with pytest.raises(Forbidden):
            step(practice, by=cast.user("head_a"))


def test_a_step_out_of_order_is_a_conflict(cast, practice):
    with pytest.raises(Conflict):
        a.publish(practice, by=cast.user("office"))  # never selected
    a.submit(practice, by=cast.user("liaison_a"))
    with pytest.raises(Conflict):
        a.edit_practice(practice, by=cast.user("liaison_a"), version=practice.version, kind="practice",
                        title="x", summary="y", body="z")  # submitted: not editable  # fmt: skip


def test_a_return_needs_a_reason(cast, practice):
    a.submit(practice, by=cast.user("liaison_a"))
    with pytest.raises(ActionError):
        a.return_practice(practice, by=cast.user("office"), reason="  ")


def test_publishing_records_one_bonus_of_the_practices_kind(cast, published):
    entry = ManualEntry.objects.get()
    assert (entry.unit, entry.plan, entry.kind, entry.withdrawn) == (cast.unit_a, cast.plan, "practice", False)
    assert entry.task == cast.task_a and published.bonus == entry
    assert a.ensure_bonus(published, by=cast.user("office")) == entry  # asked again: the same entry
    assert ManualEntry.objects.count() == 1


def test_unpublishing_withdraws_the_bonus_and_publishing_again_records_a_new_one(cast, published):
    office = cast.user("office")
    a.unpublish(published, by=office, reason="经核实成效不实")
    assert published.status == PracticeStatus.SELECTED
    assert ManualEntry.objects.get().withdrawn
    with pytest.raises(Conflict):
        a.unpublish(published, by=office, reason="again")
    a.publish(published, by=office)
    assert ManualEntry.objects.filter(withdrawn=False).count() == 1 and ManualEntry.objects.count() == 2


def test_an_innovation_earns_the_innovation_bonus(cast):
    p = write(cast, kind="innovation")
    a.submit(p, by=cast.user("liaison_a"))
    a.select(p, by=cast.user("office"))
    a.publish(p, by=cast.user("office"))
    assert ManualEntry.objects.get().kind == "innovation"


def test_photos_are_checked_by_content_and_only_images(cast, practice):
    liaison = cast.user("liaison_a")
    photo = a.add_photo(practice, by=liaison, file=SimpleUploadedFile("现场.png", PNG))
    assert photo.kind == "png" and photo.size == len(PNG) and len(photo.sha256) == 64
    with translation.override("en"):
        with pytest.raises(ValidationError, match="is not a photo"):
            a.add_photo(practice, by=liaison, file=SimpleUploadedFile("方案.pdf", b"%PDF-1.7\n" + b"0" * 64))
        with pytest.raises(ValidationError, match="its content is not a png file"):
            a.add_photo(practice, by=liaison, file=SimpleUploadedFile("假.png", b"GIF89a" + b"\x00" * 64))
        with pytest.raises(ValidationError, match="is empty"):
            a.add_photo(practice, by=liaison, file=SimpleUploadedFile("空.jpg", b""))
    with pytest.raises(Forbidden):
        a.add_photo(practice, by=cast.user("liaison_b"), file=SimpleUploadedFile("b.png", PNG))


def test_at_most_nine_photos(cast, practice):
    for i in range(a.MAX_PHOTOS):
        a.add_photo(practice, by=cast.user("liaison_a"), file=SimpleUploadedFile(f"{i}.png", PNG))
    with pytest.raises(ActionError):
        a.add_photo(practice, by=cast.user("liaison_a"), file=SimpleUploadedFile("10.png", PNG))


def test_photos_cannot_change_once_submitted(cast, practice):
    photo = a.add_photo(practice, by=cast.user("liaison_a"), file=SimpleUploadedFile("a.png", PNG))
    a.submit(practice, by=cast.user("liaison_a"))
    with pytest.raises(Conflict):
        a.remove_photo(photo, by=cast.user("liaison_a"))


@pytest.mark.parametrize(("who", "sees_draft", "sees_published"), [
    ("office", True, True), ("leader", False, True), ("head_a", True, True), ("liaison_a", True, True),
    ("liaison_b", False, True),
])  # fmt: skip
def test_who_sees_which_practice(cast, practice, who, sees_draft, sees_published):
    other = write(cast)
    a.submit(other, by=cast.user("liaison_a"))
    a.select(other, by=cast.user("office"))
    a.publish(other, by=cast.user("office"))
    seen = set(practices_visible_to(cast.user(who)).values_list("pk", flat=True))
    assert (practice.pk in seen) == sees_draft and (other.pk in seen) == sees_published


def test_a_person_without_a_unit_sees_none(cast, published):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x")
    assert not practices_visible_to(nobody).exists()


def test_the_bulletin_quotes_the_practices_published_in_its_period_and_scope(cast, published):
    today = timezone.localdate(published.published_at)
    found = practices_in(cast.plan, today - datetime.timedelta(days=1), today + datetime.timedelta(days=1))
    assert [p.title for p in found] == ["“周调度”推进机制"]
    assert practices_in(cast.plan, today + datetime.timedelta(days=1), today + datetime.timedelta(days=9)) == []
    Task.objects.filter(pk=cast.task_a.pk).update(status="in_progress")  # a draft task is in no bulletin
    in_category = practices_in(cast.plan, today, today, Scope.CATEGORY, category=cast.category)
    assert len(in_category) == 1
    other = cast.plan.categories.create(name="民生保障", order=2)
    assert practices_in(cast.plan, today, today, Scope.CATEGORY, category=other) == []


def test_the_practices_section_names_unit_kind_title_and_summary():
    f = Facts(scope="重点工作", start=D(2026, 1, 1), as_of=D(2026, 6, 30),
              practices=[PracticeFact("区发改局", "innovation", "周调度", "每周调度。")])  # fmt: skip
    assert practices(f) == "本期推出可复制可借鉴的经验做法1项，请各单位学习借鉴：\n1．区发改局创新举措《周调度》：每周调度。"
    assert sections(Facts(scope="x", start=D(2026, 1, 1), as_of=D(2026, 1, 2)))["practices"] == ""


def test_rows_written_by_actions_only(cast, practice):
    assert Practice.objects.count() == 1
