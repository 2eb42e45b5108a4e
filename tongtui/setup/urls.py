from django.urls import path

from tongtui.setup import (
    views,
    views_account,
    views_cycles,
    views_people,
    views_units,
    views_workdays,
    views_years,
)

app_name = "setup"

urlpatterns = [
    path("setup/", views.home, name="home"),
    # Plan years and their settings
    path("setup/years/", views_years.year_list, name="year-list"),
    path("setup/years/new/", views_years.year_open, name="year-open"),
    path("setup/years/<int:year>/", views_years.year_detail, name="year-detail"),
    path("setup/years/<int:year>/close/", views_years.year_close, name="year-close"),
    path("setup/years/<int:year>/categories/", views_years.category_add, name="category-add"),
    path("setup/categories/<int:pk>/<slug:step>/", views_years.category_change, name="category-change"),
    path("setup/years/<int:year>/cycles/", views_cycles.cycle_list, name="cycle-list"),
    path("setup/years/<int:year>/cycles/plan/", views_cycles.cycle_edit, name="cycle-plan"),
    path("setup/years/<int:year>/cycles/preview/", views_cycles.cycle_preview, name="cycle-preview"),
    path("setup/years/<int:year>/cycles/<int:category_pk>/", views_cycles.cycle_edit, name="cycle-category"),
    path(
        "setup/years/<int:year>/cycles/<int:category_pk>/delete/",
        views_cycles.cycle_delete,
        name="cycle-delete",
    ),
    path("setup/years/<int:year>/reminders/", views_cycles.reminder_policy, name="reminders"),
    path("setup/years/<int:year>/lights/", views_cycles.light_policy, name="lights"),
    # Units, aliases, groups, posts
    path("setup/units/", views_units.unit_list, name="unit-list"),
    path("setup/units/new/", views_units.unit_create, name="unit-create"),
    path("setup/units/<int:pk>/", views_units.unit_detail, name="unit-detail"),
    path("setup/units/<int:pk>/aliases/", views_units.unit_alias_add, name="alias-add"),
    path("setup/units/<int:pk>/<slug:step>/", views_units.unit_active, name="unit-active"),
    path("setup/aliases/<int:pk>/remove/", views_units.unit_alias_remove, name="alias-remove"),
    path("setup/groups/", views_units.group_list, name="group-list"),
    path("setup/groups/new/", views_units.group_create, name="group-create"),
    path("setup/groups/<int:pk>/", views_units.group_edit, name="group-edit"),
    path("setup/groups/<int:pk>/members/", views_units.group_members, name="group-members"),
    path("setup/posts/", views_units.post_list, name="post-list"),
    path("setup/posts/<int:pk>/", views_units.post_fill, name="post-fill"),
    # People, roles, logins
    path("setup/people/", views_people.person_list, name="person-list"),
    path("setup/people/locked/", views_people.locked_list, name="person-locked"),
    path("setup/people/locked/unlock/", views_people.unlock, name="person-unlock"),
    path("setup/people/new/", views_people.person_create, name="person-create"),
    path("setup/people/<int:pk>/", views_people.person_detail, name="person-detail"),
    path("setup/people/<int:pk>/roles/", views_people.role_grant, name="role-grant"),
    path("setup/roles/<int:pk>/revoke/", views_people.role_revoke, name="role-revoke"),
    path("setup/people/<int:pk>/login/", views_people.login_create, name="login-create"),
    path("setup/people/<int:pk>/login/<slug:step>/", views_people.login_change, name="login-change"),
    # Working days
    path("setup/workdays/", views_workdays.workday_list, name="workdays"),
    path("setup/workdays/add/", views_workdays.workday_add, name="workday-add"),
    path("setup/workdays/<int:pk>/remove/", views_workdays.workday_remove, name="workday-remove"),
]

# A user's own password is not a setting of the office's: every user reaches it, outside the namespace.
account_urlpatterns = [
    path("account/password/", views_account.password_change, name="password-change"),
    path("account/token/", views_account.api_token, name="api-token-page"),
]
