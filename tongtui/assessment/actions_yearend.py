"""Freezing the year's scores at the year-end review (年终评估).

Once every task of the plan has its year-end outcome (plans.actions_yearend), the office freezes: the ledger
is brought up to date one last time, the year ranking of each group (score, rank, red or black list, points
per rule) is stored as `FrozenRow`s, and from then on `ledger_db.recompute` — the listeners, the daily job,
`tongtui scores` — leaves the plan's ledger as it is. The scheme and the manual entries of a frozen plan are
no longer changed. A freeze is final (no unfreeze): a correction found later goes into the next year as a
manual adjustment with its reason, so the published figures never move.

Claimed on the plan row (locked until the transaction ends) and unique per plan: two clicks freeze once,
the other gets a Conflict.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.assessment import tables
from tongtui.assessment.actions import require_office
from tongtui.assessment.ledger_db import groups_of, recompute, scheme_of
from tongtui.assessment.models import FrozenRow, YearFreeze
from tongtui.assessment.ranking import parse_period
from tongtui.core.errors import ActionError, Conflict
from tongtui.core.history import save_with_history
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Membership, Role
from tongtui.orgs.recipients import users_with
from tongtui.plans.actions_yearend import undecided
from tongtui.plans.models import Plan


def already_frozen(plan: Plan) -> Conflict:
    return Conflict(_("The scores of %(year)s are frozen already.") % {"year": plan.year}, current_version=0)


@transaction.atomic
def freeze_year(plan: Plan, *, by: Any, note: str = "") -> YearFreeze:
    require_office(by)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    if YearFreeze.objects.filter(plan=plan).exists():
        raise already_frozen(plan)
    left = undecided(plan).count()
    if left:
        raise ActionError(
            _("%(n)s tasks of %(year)s have no year-end outcome yet: decide them before freezing.")
            % {"n": left, "year": plan.year}
        )
    recompute(plan)
    scheme = scheme_of(plan)
    period = parse_period(str(plan.year))
    groups, units = tables.rankings(plan, period, scheme=scheme)
    keys = [name for name, _units in groups_of(scheme)]  # stored untranslated; shown through group_label
    places: dict[int, str] = {}
    for rb in tables.lists_of(groups, scheme, period):
        places.update({p.unit_id: "red" for p in rb.red})
        places.update({p.unit_id: "black" for p in rb.black})
    freeze = YearFreeze(plan=plan, frozen_at=timezone.now(), frozen_by=by, note=note.strip())
    try:
        with transaction.atomic():
            save_with_history(freeze, by=by, reason=note.strip() or _("year scores frozen"))
    except IntegrityError:
        raise already_frozen(plan) from None
    rows = [
        FrozenRow(plan=plan, group=keys[i], group_order=i, unit_id=r.unit_id, unit_name=units[r.unit_id].name,
                  score=r.score, rank=r.rank, level=r.level, place=places.get(r.unit_id, ""),
                  by_kind={k: str(v) for k, v in r.by_kind.items() if v})
        for i, g in enumerate(groups) for r in g.rows
    ]  # fmt: skip
    FrozenRow.objects.bulk_create(rows)
    _announce(plan, rows)
    return freeze


def _announce(plan: Plan, rows: list[FrozenRow]) -> None:
    """The office and the leaders hear that the year is frozen (the review page); each unit head hears the
    unit's final score and rank (the unit's own score page)."""
    users = users_with(Role.OFFICE, Role.LEADER)
    title = _("The scores of %(year)s are frozen.") % {"year": plan.year}
    send(Kind.YEAR_END, users, title, url=reverse("assessment:yearend", args=[plan.year]),
         key=f"year-frozen:{plan.pk}", plan=plan.pk)  # fmt: skip
    heads: dict[int, list[Any]] = {}
    members = Membership.objects.filter(
        role=Role.UNIT_HEAD, person__user__isnull=False, person__user__is_active=True,
        unit_id__in=[r.unit_id for r in rows],
    ).select_related("person__user").order_by("pk")  # fmt: skip
    for m in members:
        heads.setdefault(m.unit_id, []).append(m.person.user)
    for r in rows:
        if r.unit_id not in heads:
            continue
        body = _("Final score of %(year)s: %(score)s points, rank %(rank)s in %(group)s.") % {
            "year": plan.year, "score": r.score, "rank": r.rank, "group": tables.group_label(r.group)}  # fmt: skip
        page = reverse("assessment:unit", args=[plan.year, r.unit_id])
        send(Kind.YEAR_END, heads[r.unit_id], title, body=body, url=f"{page}?period={plan.year}",
             key=f"year-frozen:{plan.pk}:{r.unit_id}", unit=r.unit_id, plan=plan.pk)  # fmt: skip
