from django.urls import path

from tongtui.supervision import views

app_name = "supervision"

urlpatterns = [
    path("tasks/<int:task_pk>/light/", views.task_light, name="task-light"),
]
