from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tongtui.orgs.models import Membership, Person, Unit, UnitAlias, UnitGroup


class AliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [AliasInline]
    autocomplete_fields = ["parent"]


@admin.register(UnitGroup)
class UnitGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "aliases"]
    filter_horizontal = ["units"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "unit", "user"]
    search_fields = ["name", "title"]
    list_filter = ["memberships__role"]
    inlines = [MembershipInline]
    autocomplete_fields = ["unit", "user"]
