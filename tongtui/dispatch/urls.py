import datetime

from django.urls import path, register_converter

from tongtui.dispatch import views, views_reports


class DateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)

    def to_url(self, value: datetime.date | str) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else value


register_converter(DateConverter, "isodate")

app_name = "dispatch"

urlpatterns = [
    path("reports/mine/", views.my_reports, name="my-reports"),
    path("reports/review/", views.review_queue, name="review-queue"),
    path("reports/task/<int:task_pk>/", views.task_reports, name="task-reports"),
    path("reports/task/<int:task_pk>/<isodate:start>/", views_reports.report_start, name="report-start"),
    path(
        "reports/task/<int:task_pk>/<isodate:start>/contribute/",
        views_reports.contribute,
        name="report-contribute",
    ),
    path("reports/<int:pk>/", views_reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views_reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/evidence/", views_reports.add_evidence, name="report-evidence"),
    path("reports/<int:pk>/<slug:review>/", views_reports.review, name="report-review"),
    path("evidence/<int:pk>/", views_reports.attachment, name="attachment"),
    path("evidence/<int:pk>/delete/", views_reports.attachment_delete, name="attachment-delete"),
    path("notifications/", views.notifications, name="notifications"),
]
