"""API for the organisation: units, unit groups, people and memberships. Writes go through orgs.actions."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api import fields
from tongtui.api.views import ApiViewSet
from tongtui.orgs import actions
from tongtui.orgs.models import Membership, Person, Role, Unit, UnitAlias, UnitGroup, UnitKind
from tongtui.orgs.roles import roles_of


class AliasNamesField(serializers.ListField):
    """A unit's aliases as a list of names; reads the prefetched `aliases` rows."""

    child = fields.CharField(max_length=100)

    def to_representation(self, data: Any) -> list[str]:
        return [alias.name for alias in data.all()]


class UnitSerializer(fields.ModelSerializer):
    aliases = AliasNamesField(
        required=False,
        help_text="Other ways documents write the unit's name (区发改局 = 发改局). Set on creation.",
    )

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "parent", "order", "is_active", "aliases"]
        read_only_fields = ["is_active"]

    def validate_aliases(self, value: list[str]) -> list[str]:
        names = list(dict.fromkeys(n.strip() for n in value if n.strip()))
        taken = dict(UnitAlias.objects.filter(name__in=names).values_list("name", "unit__name"))
        taken.update(
            (name, name) for name in Unit.objects.filter(name__in=names).values_list("name", flat=True)
        )
        if taken:
            raise serializers.ValidationError(
                [_("“%(alias)s” already names %(unit)s.") % {"alias": a, "unit": u} for a, u in taken.items()]
            )
        return names


class UnitUpdateSerializer(UnitSerializer):
    aliases = AliasNamesField(read_only=True)

    class Meta(UnitSerializer.Meta):
        read_only_fields = []


class UnitGroupSerializer(fields.ModelSerializer):
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = UnitGroup
        fields = ["id", "name", "aliases", "units"]

    def get_aliases(self, group: UnitGroup) -> list[str]:
        return group.all_names()[1:]


class PersonSerializer(fields.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Person
        fields = ["id", "name", "title", "unit", "phone", "email", "username"]

    def to_representation(self, instance: Person) -> dict[str, Any]:
        """Phone and e-mail only for the office and leaders, and for the people of the reader's own units."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        roles = roles_of(request.user if request is not None else None)
        if not roles.sees_all and instance.unit_id not in roles.unit_ids:
            data["phone"] = data["email"] = ""
        return data


class MembershipSerializer(fields.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "person", "unit", "role"]


class UnitFilter(django_filters.FilterSet):
    parent = fields.IntegerFilter(field_name="parent_id", label="Parent unit id")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    is_active = django_filters.BooleanFilter()


class PersonFilter(django_filters.FilterSet):
    unit = fields.IntegerFilter(field_name="unit_id", label="Unit id")


class MembershipFilter(django_filters.FilterSet):
    person = fields.IntegerFilter(field_name="person_id", label="Person id")
    unit = fields.IntegerFilter(field_name="unit_id", label="Unit id")
    role = django_filters.ChoiceFilter(choices=Role.choices)


@extend_schema_view(
    partial_update=extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer),
    update=extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer),
)
class UnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Units (单位): departments, towns, subdistricts, parks, companies; a tree through `parent`."""

    queryset = Unit.objects.prefetch_related("aliases")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    office_actions = ("create", "update", "partial_update")

    def get_serializer_class(self) -> Any:
        return UnitUpdateSerializer if self.action in ("update", "partial_update") else UnitSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = actions.create_unit(by=request.user, **serializer.validated_data)
        return Response(UnitSerializer(self.reloaded(unit)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        actions.update_unit(unit, by=request.user, **serializer.validated_data)
        return Response(UnitSerializer(self.reloaded(unit)).data)


class UnitGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Collective names (各镇街, 区直各部门) and the units they stand for."""

    queryset = UnitGroup.objects.prefetch_related("units")
    serializer_class = UnitGroupSerializer


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """People that tasks name: leaders, responsible persons, liaisons."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    office_actions = ("create",)

    def get_queryset(self) -> QuerySet[Person]:
        """Everyone with a role reads the directory (tasks name people of other units); a login with no role in
        any unit reads no one."""
        roles = roles_of(self.request.user)
        people = Person.objects.select_related("user")
        return people if roles.sees_all or roles.unit_ids else people.none()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = actions.create_person(by=request.user, **serializer.validated_data)
        return Response(PersonSerializer(self.reloaded(person)).data, status=status.HTTP_201_CREATED)


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    """The office and leaders see every membership; others those of their own units."""
    roles = roles_of(user)
    qs = Membership.objects.all()
    return qs if roles.sees_all else qs.filter(unit_id__in=roles.unit_ids)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Who holds which role in which unit."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self) -> QuerySet[Membership]:
        return memberships_visible_to(self.request.user)


routes = [
    ("units", UnitViewSet, "unit"),
    ("unit-groups", UnitGroupViewSet, "unit-group"),
    ("people", PersonViewSet, "person"),
    ("memberships", MembershipViewSet, "membership"),
]
