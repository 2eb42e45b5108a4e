from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.assessment.rules_data import DEFAULT, MANUAL, ListMode, ListRule, RuleData, RuleKind, SchemeData
from tongtui.core.loaded import RemembersLoaded
from tongtui.orgs.models import Unit, UnitGroup
from tongtui.plans.models import Plan, Task

POSITIVE = [MinValueValidator(Decimal(0))]


def _points(label: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=8, decimal_places=2, **kw)


class Scheme(RemembersLoaded, models.Model):
    """考核细则 of a plan year. Without one, the plan is scored by rules_data.DEFAULT."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="scheme", verbose_name=_("plan"))
    version = models.PositiveIntegerField(default=1, editable=False)
    co_unit_factor = models.DecimalField(
        _("co-unit factor"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=POSITIVE,
        help_text=_("A co-unit gets this share of a lead unit's task points (0.5: half)."),
    )
    unit_deduction_cap = _points(
        _("most a unit can lose"),
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("All deductions together over the year; empty: no limit."),
    )
    unit_bonus_cap = _points(
        _("most a unit can gain from bonuses"),
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("All bonuses together over the year; empty: no limit."),
    )
    level_margin = _points(
        _("level margin"),
        default=Decimal("0.5"),
        validators=POSITIVE,
        help_text=_("Units whose scores differ by no more than this are shown as level."),
    )
    groups = models.ManyToManyField(  # type: ignore[var-annotated]
        UnitGroup,
        blank=True,
        related_name="+",
        verbose_name=_("groups ranked separately"),
        help_text=_("Empty: towns and subdistricts are ranked apart from departments."),
    )
    list_mode = models.CharField(
        _("red and black lists drawn by"), max_length=8, choices=ListMode.choices, default=ListMode.RANK
    )
    red_places = models.PositiveSmallIntegerField(
        _("red list: best places"),
        default=DEFAULT.lists.red_places,
        help_text=_("Per group. Units tied or level with the last place are included too; 0: no red list."),
    )
    black_places = models.PositiveSmallIntegerField(
        _("black list: last places"),
        default=DEFAULT.lists.black_places,
        help_text=_("Per group. Units tied or level with the last place are included too; 0: no black list."),
    )
    red_from = _points(
        _("red list: from this score"), null=True, blank=True,
        help_text=_("With score thresholds: a unit with at least this score is on the red list."),
    )  # fmt: skip
    black_below = _points(
        _("black list: below this score"), null=True, blank=True,
        help_text=_("With score thresholds: a unit with a lower score is on the black list."),
    )  # fmt: skip
    black_needs_deduction = models.BooleanField(
        _("black list only with a deduction"),
        default=DEFAULT.lists.black_needs_deduction,
        help_text=_("A unit that lost no points in the period is never on the black list."),
    )
    note = models.TextField(_("note"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from"),
    )
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self) -> str:
        return f"{self.plan} · v{self.version}"

    def data(self) -> SchemeData:
        rules = {r.kind: r.data() for r in self.rules.all()}
        for kind, default in DEFAULT.rules.items():
            rules.setdefault(kind, RuleData(kind, default.points, enabled=False))
        groups = tuple((g.pk, g.name) for g in self.groups.order_by("name"))
        return SchemeData(
            rules=rules, co_unit_factor=self.co_unit_factor, unit_deduction_cap=self.unit_deduction_cap,
            unit_bonus_cap=self.unit_bonus_cap, level_margin=self.level_margin, groups=groups,
            lists=self.list_rule(),
        )  # fmt: skip

    def list_rule(self) -> ListRule:
        return ListRule(mode=self.list_mode, red_places=self.red_places, black_places=self.black_places,
                        red_from=self.red_from, black_below=self.black_below,
                        black_needs_deduction=self.black_needs_deduction)  # fmt: skip


class SchemeRule(RemembersLoaded, models.Model):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="rules", verbose_name=_("scheme")
    )
    kind = models.CharField(_("rule"), max_length=24, choices=[c for c in RuleKind.choices if c[0] in
                            {k.value for k in RuleKind if k != RuleKind.ADJUSTMENT}])  # fmt: skip
    points = _points(_("points"), validators=POSITIVE)
    cap = _points(
        _("cap per unit"),
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("Most a unit gains or loses by this rule over the year; empty: no limit."),
    )
    co_factor = models.DecimalField(
        _("co-unit factor"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("Only for task points and overdue milestones; empty: the scheme's factor."),
    )
    enabled = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        constraints = [models.UniqueConstraint(fields=["scheme", "kind"], name="schemerule_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"

    def data(self) -> RuleData:
        return RuleData(self.kind, self.points, self.cap, self.co_factor, self.enabled)


class ManualEntry(RemembersLoaded, models.Model):
    """A bonus the office records by hand (典型经验, 创新举措, 领导表扬 — until those records exist in the app),
    or an adjustment (调整) with its reason. Withdrawn entries stay, marked, for the audit trail."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("task"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=[c for c in RuleKind.choices if c[0] in {k.value for k in MANUAL}],
    )
    points = _points(
        _("points"),
        null=True,
        blank=True,
        help_text=_("Adjustments: plus or minus. Bonuses: empty for the scheme's points."),
    )
    reason = models.TextField(_("reason"))
    on = models.DateField(_("date"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("manual score entry")
        verbose_name_plural = _("manual score entries")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.on}"

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason.")})
        if self.kind == RuleKind.ADJUSTMENT and not self.points:
            raise ValidationError({"points": _("An adjustment needs its points, plus or minus.")})
        if self.kind != RuleKind.ADJUSTMENT and self.points is not None and self.points < 0:
            raise ValidationError({"points": _("A bonus cannot be negative.")})


class ScoreEntry(models.Model):
    """One line of the score ledger (加分 / 扣分). Derived: written only by ledger_db.recompute."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=RuleKind.choices)
    key = models.CharField(max_length=80)
    on = models.DateField()
    points = _points(_("points"))
    nominal = _points(_("points before caps"))
    quantity = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(1))
    label = models.CharField(max_length=300, blank=True)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "on", "kind", "key"]
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "kind", "key"], name="scoreentry_unique_fact"),
        ]
        indexes = [models.Index(fields=["plan", "unit", "on"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.points}"

    @property
    def capped(self) -> bool:
        return self.points != self.nominal


class RankingPublication(RemembersLoaded, models.Model):
    """The office publishes a period's ranking: then every unit head sees the other units' scores and
    breakdowns for that period."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    period = models.CharField(_("period"), max_length=10)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    with_lists = models.BooleanField(
        _("with the red and black lists"),
        default=False,
        help_text=_("The red and black lists (红黑榜) of the period are published with the ranking."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "period"]
        verbose_name = _("ranking publication")
        verbose_name_plural = _("ranking publications")
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="rankingpublication_unique")]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.period}"


class YearFreeze(RemembersLoaded, models.Model):
    """The year's scores frozen at the year-end review (年终评估): from then on the plan's score ledger is never
    rewritten (ledger_db.recompute leaves it alone) and the year ranking is kept as `FrozenRow`s. Final: a
    freeze is not undone; a correction found later is a manual adjustment of the next year."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="freeze", verbose_name=_("plan"))
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frozen year scores")
        verbose_name_plural = _("frozen year scores")

    def __str__(self) -> str:
        return f"{self.plan.year} frozen"


class FrozenRow(models.Model):
    """One unit's line of the frozen year ranking: its group, score, rank, red or black list, points per rule."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    group = models.CharField(_("group"), max_length=100)
    group_order = models.PositiveSmallIntegerField(default=0)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_name = models.CharField(_("unit as named then"), max_length=200)
    score = _points(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    level = models.BooleanField(_("level with another unit"), default=False)
    place = models.CharField(_("red or black list"), max_length=5, blank=True)
    by_kind = models.JSONField(_("points per rule"), default=dict)

    class Meta:
        ordering = ["plan", "group_order", "rank", "pk"]
        verbose_name = _("frozen ranking row")
        verbose_name_plural = _("frozen ranking rows")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="frozenrow_unique_unit")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.unit_name} {self.rank}"
