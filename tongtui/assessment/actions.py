"""Every write of the assessment app: the scheme, its copy into the next year, the office's manual entries,
the publication of a ranking. The ledger itself is derived (ledger_db) and follows through the listeners."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from tongtui.assessment.models import ManualEntry, RankingPublication, Scheme, SchemeRule
from tongtui.assessment.ranking import parse_period
from tongtui.assessment.rules_data import DEFAULT, RULE_ORDER, ListRule, RuleKind, SchemeData
from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Role, Unit, UnitGroup
from tongtui.orgs.recipients import users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan, Task


def require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))


def _rules_from(data: SchemeData, scheme: Scheme, by: Any, reason: str) -> None:
    for kind in RULE_ORDER:
        r = data.rules.get(kind)
        if r is None:
            continue
        rule = SchemeRule(scheme=scheme, kind=kind, points=r.points, cap=r.cap, co_factor=r.co_factor,
                          enabled=r.enabled)  # fmt: skip
        save_with_history(rule, by=by, reason=reason)


@transaction.atomic
def ensure_scheme(plan: Plan, *, by: Any) -> Scheme:
    """The plan's scheme, written out from the DEFAULT the first time the office opens it for editing."""
    require_office(by)
    scheme = Scheme.objects.select_for_update().filter(plan=plan).first()
    if scheme is not None:
        return scheme
    scheme = Scheme(plan=plan, co_unit_factor=DEFAULT.co_unit_factor, unit_deduction_cap=DEFAULT.unit_deduction_cap,
                    unit_bonus_cap=DEFAULT.unit_bonus_cap, level_margin=DEFAULT.level_margin)  # fmt: skip
    try:
        with transaction.atomic():
            save_with_history(scheme, by=by, reason=_("default scheme"))
    except (IntegrityError, ValidationError):  # written by someone else at the same moment
        return Scheme.objects.get(plan=plan)
    _rules_from(DEFAULT, scheme, by, _("default scheme"))
    return scheme


@transaction.atomic
def update_scheme(scheme: Scheme, *, by: Any, version: int, settings: dict[str, Any],
                  rules: dict[str, dict[str, Any]], groups: list[UnitGroup] | None = None) -> Scheme:  # fmt: skip
    """Change the scheme as the office saw it (`version`); a stale version is a Conflict, nothing is
    overwritten. `settings` holds the scheme's own fields, `rules` the fields of each rule by kind."""
    require_office(by)
    claim(scheme, lambda now: _("The scheme was changed meanwhile; reload it and apply your change again."),
          update={"version": F("version") + 1}, version=version)  # fmt: skip
    for name in (
        "co_unit_factor",
        "unit_deduction_cap",
        "unit_bonus_cap",
        "level_margin",
        "note",
        *LIST_FIELDS,
    ):
        if name in settings:
            setattr(scheme, name, settings[name])
    reason = _("scheme changed")
    save_with_history(scheme, by=by, reason=reason)
    if groups is not None:
        scheme.groups.set(groups)
    existing = {r.kind: r for r in scheme.rules.all()}
    for kind, values in rules.items():
        if kind not in RuleKind.values or kind == RuleKind.ADJUSTMENT:
            raise ActionError(_("Unknown rule: %(kind)s") % {"kind": kind})
        rule = existing.get(kind) or SchemeRule(scheme=scheme, kind=kind, points=Decimal(0))
        changed = rule.pk is None
        for field in ("points", "cap", "co_factor", "enabled"):
            if field in values and getattr(rule, field) != values[field]:
                setattr(rule, field, values[field])
                changed = True
        if changed:
            save_with_history(rule, by=by, reason=reason)
    return scheme


LIST_FIELDS = ("list_mode", "red_places", "black_places", "red_from", "black_below", "black_needs_deduction")


def _list_fields(rule: ListRule) -> dict[str, Any]:
    return {"list_mode": rule.mode, "red_places": rule.red_places, "black_places": rule.black_places,
            "red_from": rule.red_from, "black_below": rule.black_below,
            "black_needs_deduction": rule.black_needs_deduction}  # fmt: skip


def proposed(
    scheme_data: SchemeData, settings: dict[str, Any], rules: dict[str, dict[str, Any]]
) -> SchemeData:
    """The scheme as it would be with these changes (for the preview; nothing written)."""
    from dataclasses import replace

    out = replace(scheme_data, **{k: v for k, v in settings.items()
                                  if k in ("co_unit_factor", "unit_deduction_cap", "unit_bonus_cap", "level_margin")})  # fmt: skip
    lists = {f: settings[f] for f in LIST_FIELDS if f in settings}
    if lists:
        lists["mode"] = lists.pop("list_mode", out.lists.mode)
        out = replace(out, lists=replace(out.lists, **lists))
    for kind, values in rules.items():
        out = out.with_rule(
            kind, **{k: v for k, v in values.items() if k in ("points", "cap", "co_factor", "enabled")}
        )
    return out


@transaction.atomic
def copy_scheme(source_plan: Plan, target_plan: Plan, *, by: Any) -> Scheme:
    """Copy a plan's scheme (or the DEFAULT, if it has none) into another plan, e.g. when a year is opened.
    The target must not have a scheme yet."""
    require_office(by)
    if Scheme.objects.filter(plan=target_plan).exists():
        raise Conflict(_("The plan %(year)s has a scheme already.") % {"year": target_plan.year}, 0)
    source = Scheme.objects.filter(plan=source_plan).prefetch_related("rules", "groups").first()
    data = source.data() if source is not None else DEFAULT
    scheme = Scheme(plan=target_plan, co_unit_factor=data.co_unit_factor, unit_deduction_cap=data.unit_deduction_cap,
                    unit_bonus_cap=data.unit_bonus_cap, level_margin=data.level_margin, copied_from=source,
                    note=source.note if source is not None else "", **_list_fields(data.lists))  # fmt: skip
    reason = _("copied from %(year)s") % {"year": source_plan.year}
    try:
        with transaction.atomic():
            save_with_history(scheme, by=by, reason=reason)
    except (IntegrityError, ValidationError) as e:
        raise Conflict(_("The plan %(year)s has a scheme already.") % {"year": target_plan.year}, 0) from e
    _rules_from(data, scheme, by, reason)
    if source is not None:
        scheme.groups.set(source.groups.all())
    return scheme


@transaction.atomic
def add_manual_entry(plan: Plan, *, by: Any, unit: Unit, kind: str, reason: str, on: datetime.date,
                     points: Decimal | None = None, task: Task | None = None) -> ManualEntry:  # fmt: skip
    """A bonus the office records (典型经验, 创新举措, 领导表扬) or an adjustment, always with its reason."""
    require_office(by)
    if task is not None and task.plan_id != plan.pk:
        raise ActionError(_("The task is not in this plan."))
    entry = ManualEntry(plan=plan, unit=unit, task=task, kind=kind, points=points, reason=reason.strip(), on=on,
                        created_by=by)  # fmt: skip
    save_with_history(entry, by=by, reason=reason)
    return entry


@transaction.atomic
def withdraw_manual_entry(entry: ManualEntry, *, by: Any, reason: str) -> ManualEntry:
    require_office(by)
    if not reason.strip():
        raise ActionError(_("Give the reason."))
    claim(
        entry, lambda now: _("This entry is withdrawn already."), update={"withdrawn": True}, withdrawn=False
    )
    save_with_history(entry, by=by, reason=reason)
    return entry


@transaction.atomic
def publish_ranking(
    plan: Plan, period: str, *, by: Any, note: str = "", with_lists: bool = True
) -> RankingPublication:
    """Publish a period's ranking: every unit head then sees the other units' scores and breakdowns, and,
    `with_lists`, the red and black lists (红黑榜) of each group."""
    require_office(by)
    try:
        key = parse_period(period).key
    except ValueError as e:
        raise ActionError(_("Not a period: %(p)s") % {"p": period}) from e
    if not key.startswith(str(plan.year)):
        raise ActionError(_("The period is not in the plan's year."))
    pub = RankingPublication(plan=plan, period=key, published_by=by, note=note.strip(), with_lists=with_lists)
    try:
        with transaction.atomic():
            save_with_history(pub, by=by, reason=_("published"))
            _announce(pub, _("Ranking for %(period)s published") % {"period": parse_period(key).label})
    except (IntegrityError, ValidationError) as e:
        raise Conflict(_("This ranking is published already."), 0) from e
    return pub


def _announce(pub: RankingPublication, title: str) -> None:
    """Unit heads and leaders hear that a ranking (or its red and black lists) is out, once per step."""
    send(
        Kind.RANKING,
        users_with(Role.UNIT_HEAD, Role.LEADER),
        title,
        url=reverse("assessment:ranking", args=[pub.plan.year]) + f"?period={pub.period}",
        key=f"ranking:{pub.pk}:{'lists' if pub.with_lists else 'scores'}",
        plan=pub.plan_id,
    )


@transaction.atomic
def publish_lists(pub: RankingPublication, *, by: Any) -> RankingPublication:
    """Publish the red and black lists of a ranking that was published without them. A second click is a
    Conflict; nothing is written twice."""
    require_office(by)
    claim(pub, lambda now: _("The red and black lists are published already."), update={"with_lists": True},
          with_lists=False)  # fmt: skip
    save_with_history(pub, by=by, reason=_("red and black lists published"))
    _announce(
        pub, _("Red and black lists for %(period)s published") % {"period": parse_period(pub.period).label}
    )
    return pub
