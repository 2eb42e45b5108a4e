from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tongtui.core.loaded import RemembersLoaded


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", _("Department")
    TOWN = "town", _("Town")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    PARK = "park", _("Park")
    COMPANY = "company", _("Company")
    OFFICE = "office", _("Supervision office")
    EXTERNAL = "external", _("External body")


class Unit(RemembersLoaded, models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.label_of(self.short_name, self.name)

    @staticmethod
    def label_of(short_name: str, name: str) -> str:
        """The label from the two names read as values (a list of thousands of units needs no instances)."""
        return short_name or name

    def clean(self) -> None:
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            seen.add(node.pk)
            node = node.parent


class UnitAlias(RemembersLoaded, models.Model):
    """Another way documents write a unit's name (区发改局 = 区发展和改革局 = 发改局)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("unit"))
    name = models.CharField(_("alias"), max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")

    def __str__(self) -> str:
        return self.name


class UnitGroup(RemembersLoaded, models.Model):
    """A collective name that stands for several units: 各镇街, 区直各部门, 各相关部门."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("One name per line, e.g. 各街道 / 各镇(街道)."),
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="groups", verbose_name=_("units"))
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        return [self.name] + [n.strip() for n in self.aliases.splitlines() if n.strip()]


class Person(RemembersLoaded, models.Model):
    """Someone tasks name: a leader, a responsible person, a liaison. May or may not log in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person", verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    must_change_password = models.BooleanField(
        _("must change the password at next login"), default=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name}({self.title})" if self.title else self.name


class Post(RemembersLoaded, models.Model):
    """A post in a unit that task books name instead of a person (区应急管理局负责人, 局长).

    Recorded once per unit; when the office names who holds it, every task that names the post follows.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="posts", verbose_name=_("unit"))
    title = models.CharField(_("post"), max_length=50)
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts", verbose_name=_("held by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "unit__name", "title"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="post_unique_title")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.unit.label}{self.title}"


class Role(models.TextChoices):
    OFFICE = "office", _("Supervision office")
    LEADER = "leader", _("Leader")
    UNIT_HEAD = "unit_head", _("Unit head")
    LIAISON = "liaison", _("Liaison")
    VIEWER = "viewer", _("Viewer")


class Membership(RemembersLoaded, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.get_role_display()}"
