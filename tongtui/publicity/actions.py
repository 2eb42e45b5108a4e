"""Every write to a bulletin: generate a draft from the facts, edit its text, publish it. Each in one
transaction with history; editing and publishing claim the row (`core.claims`), so a double click or two
clerks at once publish once and the other gets a Conflict."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.assessment.ranking import parse_period
from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Person, Role
from tongtui.orgs.recipients import users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Category, Plan
from tongtui.publicity import compose, facts
from tongtui.publicity.models import SECTIONS, Bulletin, BulletinStatus, Scope


def _office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office writes bulletins."))


def draft_of(plan: Plan, *, start: datetime.date, as_of: datetime.date, scope: str = Scope.PLAN,
             category: Category | None = None, leader: Person | None = None,
             ranking_period: str | None = None) -> Bulletin:  # fmt: skip
    """An unsaved bulletin with the generated text (also what the `bulletin` command prints)."""
    if start > as_of:
        raise ActionError(_("The period starts after its end."))
    if scope == Scope.CATEGORY and (category is None or category.plan_id != plan.pk):
        raise ActionError(_("Choose a category of this plan."))
    if scope == Scope.LEADER and leader is None:
        raise ActionError(_("Choose a leader."))
    if ranking_period is None:
        ranking_period = facts.published_period(plan, as_of)
    elif ranking_period:
        try:
            ranking_period = parse_period(ranking_period).key
        except ValueError as e:
            raise ActionError(_("Not a period: %(p)s") % {"p": ranking_period}) from e
    f = facts.load(plan, start=start, as_of=as_of, scope=scope, category=category, leader=leader,
                   ranking_period=ranking_period)  # fmt: skip
    b = Bulletin(plan=plan, scope=scope, category=category if scope == Scope.CATEGORY else None,
                 leader=leader if scope == Scope.LEADER else None, period_start=start, as_of=as_of,
                 ranking_period=f.ranking_period, title=compose.title(f))  # fmt: skip
    for name, text in compose.sections(f).items():
        setattr(b, name, text)
    return b


def generate(plan: Plan, *, by: Any, **kwargs: Any) -> Bulletin:
    _office(by)
    b = draft_of(plan, **kwargs)
    b.created_by = by
    with transaction.atomic():
        save_with_history(b, by=by, reason=_("generated"))
    return b


def edit(b: Bulletin, *, by: Any, version: int, title: str, texts: Mapping[str, str]) -> Bulletin:
    """The office's edit of a draft's text. `version` is the one the clerk saw: a stale edit is refused."""
    _office(by)
    if not title.strip():
        raise ActionError(_("A bulletin needs a title."))
    with transaction.atomic():
        claim(b, _refused, update={"version": F("version") + 1}, status=BulletinStatus.DRAFT, version=version)
        b.title = title.strip()
        for name in SECTIONS:
            if name in texts:
                setattr(b, name, texts[name].strip())
        save_with_history(b, by=by, reason=_("text edited"))
    return b


def publish(b: Bulletin, *, by: Any) -> Bulletin:
    """Number the draft (通报〔year〕n号, the next in its plan) and publish it to every unit."""
    _office(by)
    try:
        with transaction.atomic():
            claim(b, _refused, update={"status": BulletinStatus.PUBLISHED, "version": F("version") + 1},
                  status=BulletinStatus.DRAFT)  # fmt: skip
            last = Bulletin.objects.filter(plan_id=b.plan_id).aggregate(n=Max("number"))["n"] or 0
            b.number = last + 1
            b.published_at = timezone.now()
            b.published_by = by
            save_with_history(b, by=by, reason=_("published"))
            _announce(b)
    except (IntegrityError, ValidationError) as e:  # another bulletin took the number at the same moment
        raise Conflict(_("Another bulletin was published at the same moment; try again."), b.version) from e
    return b


def _announce(b: Bulletin) -> None:
    """Everyone with a role hears of a published bulletin once: in the app, by e-mail and in the groups."""
    send(
        Kind.BULLETIN,
        users_with(*Role.values),
        _("Bulletin %(number)s published: %(title)s") % {"number": b.document_number, "title": b.title},
        url=reverse("publicity:detail", args=[b.pk]),
        key=f"bulletin:{b.pk}",
        plan=b.plan_id,
    )


def _refused(current: Bulletin | None) -> str:
    if current is None:
        return _("The bulletin no longer exists.")
    if current.status == BulletinStatus.PUBLISHED:
        return _("This bulletin is published already.")
    return _("Someone else changed this bulletin meanwhile; reload it to see their text.")
