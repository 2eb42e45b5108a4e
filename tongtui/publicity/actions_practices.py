"""Every write to a practice (典型经验 · 创新举措): a unit writes, edits and submits it with photos; the office
returns it with a reason, selects, publishes, unpublishes or rejects it. Each step one transaction with
history, claiming the row on the status it starts from (`core.claims`), so a double click runs once and the
other click gets a Conflict. Publishing records the unit's assessment bonus through `assessment.actions` (one
active entry per practice), unpublishing withdraws it."""

import posixpath
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.assessment import actions as assessment_actions
from tongtui.assessment.rules_data import RuleKind
from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.dispatch.evidence import check_upload
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Role, Unit
from tongtui.orgs.recipients import office_users, users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan, Task
from tongtui.publicity.access_practices import WRITERS, tasks_of_unit, writer_units
from tongtui.publicity.models import EDITABLE, Practice, PracticeKind, PracticePhoto, PracticeStatus

MAX_PHOTOS = 9
PHOTO_TYPES = ("jpg", "jpeg", "png", "webp")  # shown in every browser; checked by content through dispatch
BONUS_KIND = {PracticeKind.PRACTICE: RuleKind.PRACTICE, PracticeKind.INNOVATION: RuleKind.INNOVATION}
OPEN = (PracticeStatus.SUBMITTED, PracticeStatus.SELECTED)  # what the office can return or reject


def _url(p: Practice) -> str:
    return reverse("publicity:practice", args=[p.pk])


def _require_writer(p: Practice | None, unit_id: int, by: Any) -> None:
    if unit_id not in writer_units(by):
        raise Forbidden(_("Only the unit's liaison or head writes its practices."))


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office reviews practices."))


def _checked_tasks(plan: Plan, unit_id: int, tasks: Iterable[Task]) -> list[Task]:
    tasks = list(tasks)
    ids = {t.pk for t in tasks}
    allowed = set(tasks_of_unit(unit_id).filter(pk__in=ids, plan=plan).values_list("pk", flat=True))
    if ids - allowed:
        raise ActionError({"tasks": _("Relate only tasks of this plan that your unit leads or works on.")})
    return tasks


def _refused(current: Practice | None) -> str:
    if current is None:
        return _("The practice no longer exists.")
    return _("Someone else changed this practice a moment ago (it is now “%(status)s”). Reload the page.") % {
        "status": current.get_status_display()
    }


@transaction.atomic
def create_practice(*, by: Any, unit: Unit, plan: Plan, kind: str, title: str, summary: str, body: str,
                    tasks: Iterable[Task] = ()) -> Practice:  # fmt: skip
    """A draft of the unit's practice; nobody but the unit (and the office) sees it until it is published."""
    _require_writer(None, unit.pk, by)
    related = _checked_tasks(plan, unit.pk, tasks)
    p = Practice(plan=plan, unit=unit, kind=kind, title=title.strip(), summary=summary.strip(), body=body.strip(),
                 created_by=by)  # fmt: skip
    save_with_history(p, by=by, reason=_("written"))
    p.tasks.set(related)
    return p


@transaction.atomic
def edit_practice(p: Practice, *, by: Any, version: int, kind: str, title: str, summary: str, body: str,
                  tasks: Iterable[Task] = ()) -> Practice:  # fmt: skip
    """The unit's edit of a draft or a returned practice, as it saw it (`version`)."""
    _require_writer(p, p.unit_id, by)
    related = _checked_tasks(p.plan, p.unit_id, tasks)
    claim(p, _refused, update={"version": F("version") + 1}, status__in=EDITABLE, version=version)
    p.kind, p.title, p.summary, p.body = kind, title.strip(), summary.strip(), body.strip()
    save_with_history(p, by=by, reason=_("edited"))
    p.tasks.set(related)
    return p


@transaction.atomic
def add_photo(p: Practice, *, by: Any, file: Any) -> PracticePhoto:
    """A photo of the practice: a JPG, PNG or WEBP image, checked by its content as evidence is."""
    _require_writer(p, p.unit_id, by)
    claim(p, _refused, status__in=EDITABLE)  # locks the row: parallel uploads are counted one after another
    name = posixpath.basename((getattr(file, "name", "") or "").replace("\\", "/"))
    if posixpath.splitext(name)[1].lower().lstrip(".") not in PHOTO_TYPES:
        raise ActionError(_("“%(name)s” is not a photo. Accepted are JPG, PNG and WEBP images.") % {"name": name})
    if p.photos.count() >= MAX_PHOTOS:
        raise ActionError(_("A practice can have at most %(n)s photos.") % {"n": MAX_PHOTOS})
    checked = check_upload(file)
    photo = PracticePhoto(practice=p, original_name=name[-255:], kind=checked.kind, size=checked.size,
                          sha256=checked.sha256, uploaded_by=by)  # fmt: skip
    photo.file.save(name or "photo", file, save=False)
    save_with_history(photo, by=by)
    return photo


@transaction.atomic
def remove_photo(photo: PracticePhoto, *, by: Any) -> None:
    """Take a photo off a draft or returned practice. The stored file is kept for the history."""
    p = photo.practice
    _require_writer(p, p.unit_id, by)
    claim(p, _refused, status__in=EDITABLE)
    if not PracticePhoto.objects.filter(pk=photo.pk).exists():
        raise ActionError(_("This photo has already been removed. Reload the page."))
    photo._history_user = by  # type: ignore[attr-defined]
    photo.delete()


@transaction.atomic
def submit(p: Practice, *, by: Any) -> Practice:
    _require_writer(p, p.unit_id, by)
    claim(p, _refused, update={"status": PracticeStatus.SUBMITTED, "version": F("version") + 1},
          status__in=EDITABLE)  # fmt: skip
    p.submitted_at = timezone.now()
    save_with_history(p, by=by, reason=_("submitted"))
    send(Kind.PRACTICE, office_users(), _("%(unit)s submitted a practice: %(title)s") % {
        "unit": p.unit.name, "title": p.title}, url=_url(p), key=f"practice:{p.pk}:submitted:{p.version}",
         unit=p.unit, plan=p.plan)  # fmt: skip
    return p


@transaction.atomic
def select(p: Practice, *, by: Any, note: str = "") -> Practice:
    """The office picks the practice to publish (评选)."""
    _require_office(by)
    claim(p, _refused, update={"status": PracticeStatus.SELECTED, "version": F("version") + 1},
          status=PracticeStatus.SUBMITTED)  # fmt: skip
    p.review_note = note.strip()
    save_with_history(p, by=by, reason=_("selected"))
    return p


def _back_to_unit(p: Practice, by: Any, reason: str, status: str, said: str) -> Practice:
    _require_office(by)
    if not reason.strip():
        raise ActionError({"reason": _("Give the reason.")})
    claim(p, _refused, update={"status": status, "version": F("version") + 1}, status__in=OPEN)
    p.review_note = reason.strip()
    save_with_history(p, by=by, reason=f"{said}: {reason}")
    send(Kind.PRACTICE, users_with(*WRITERS, units=[p.unit_id]), f"{said}: {p.title}", body=p.review_note, url=_url(p),
         key=f"practice:{p.pk}:{status}:{p.version}", unit=p.unit, plan=p.plan)  # fmt: skip
    return p


@transaction.atomic
def return_practice(p: Practice, *, by: Any, reason: str) -> Practice:
    """Back to the unit for changes, with the reason; the unit edits and submits it again."""
    return _back_to_unit(p, by, reason, PracticeStatus.RETURNED, _("Practice returned"))


@transaction.atomic
def reject(p: Practice, *, by: Any, reason: str) -> Practice:
    return _back_to_unit(p, by, reason, PracticeStatus.REJECTED, _("Practice not adopted"))


def ensure_bonus(p: Practice, *, by: Any) -> Any:
    """The unit's assessment bonus for the published practice: one active ManualEntry, made once."""
    if p.bonus_id is not None and not p.bonus.withdrawn:  # type: ignore[union-attr]
        return p.bonus
    first = p.tasks.order_by("code_sort", "pk").first()
    label = p.get_kind_display()
    entry = assessment_actions.add_manual_entry(
        p.plan, by=by, unit=p.unit, kind=BONUS_KIND[PracticeKind(p.kind)], on=timezone.localdate(),
        reason=f"{label}：{p.title}", task=first,
    )  # fmt: skip
    p.bonus = entry
    return entry


@transaction.atomic
def publish(p: Practice, *, by: Any) -> Practice:
    """Publish a selected practice: in the library, on the home pages and in bulletins; the unit's bonus."""
    _require_office(by)
    claim(p, _refused, update={"status": PracticeStatus.PUBLISHED, "version": F("version") + 1},
          status=PracticeStatus.SELECTED)  # fmt: skip
    p.published_at = timezone.now()
    p.published_by = by
    ensure_bonus(p, by=by)
    save_with_history(p, by=by, reason=_("published"))
    readers = users_with(*WRITERS, units=[p.unit_id]) + users_with(Role.LEADER)
    send(Kind.PRACTICE, readers, _("Practice published: %(title)s") % {"title": p.title}, body=p.summary,
         url=_url(p), key=f"practice:{p.pk}:published:{p.version}", unit=p.unit, plan=p.plan)  # fmt: skip
    return p


@transaction.atomic
def unpublish(p: Practice, *, by: Any, reason: str) -> Practice:
    """Take a published practice back to selected; its bonus is withdrawn with the reason."""
    _require_office(by)
    if not reason.strip():
        raise ActionError({"reason": _("Give the reason.")})
    claim(p, _refused, update={"status": PracticeStatus.SELECTED, "version": F("version") + 1},
          status=PracticeStatus.PUBLISHED)  # fmt: skip
    if p.bonus is not None and not p.bonus.withdrawn:
        assessment_actions.withdraw_manual_entry(p.bonus, by=by, reason=_("practice unpublished: %(r)s") % {
            "r": reason.strip()})  # fmt: skip
    p.published_at = None
    p.review_note = reason.strip()
    save_with_history(p, by=by, reason=_("unpublished: %(r)s") % {"r": reason.strip()})
    return p

