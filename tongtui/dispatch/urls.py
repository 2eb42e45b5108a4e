from django.urls import path

from tongtui.dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
]
