from django.urls import path

from tongtui.plans import views, views_actions, views_edit, views_units
from tongtui.plans.views_documents import assignment_notice

urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/new/", views_edit.task_create, name="task-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", views_edit.task_edit, name="task-edit"),
    path("tasks/<int:pk>/assignment.docx", assignment_notice, name="task-assignment-doc"),
    path("tasks/<int:pk>/<slug:action>/", views_actions.task_action, name="task-action"),
    # Unit pages show tasks, so they live with the task pages (orgs may not import plans).
    path("units/", views_units.unit_list, name="unit-list"),
    path("units/suggest/", views_units.unit_suggest, name="unit-suggest"),
    path("units/<int:pk>/", views_units.unit_detail, name="unit-detail"),
]
