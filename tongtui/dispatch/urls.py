import datetime

from django.urls import path, register_converter

from tongtui.dispatch import (
    views,
    views_meetings,
    views_milestones,
    views_problems,
    views_reports,
    views_requests,
)
from tongtui.dispatch.views_bulk import bulk, bulk_result


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
    path("reports/<int:pk>/milestones/", views_milestones.report_milestones, name="report-milestones"),
    path("reports/<int:pk>/<slug:review>/", views_reports.review, name="report-review"),
    path("evidence/<int:pk>/", views_reports.attachment, name="attachment"),
    path("evidence/<int:pk>/delete/", views_reports.attachment_delete, name="attachment-delete"),
    path("problems/", views_problems.problem_list, name="problem-list"),
    path("problems/new/", views_problems.problem_new, name="problem-new"),
    path("problems/<int:pk>/", views_problems.problem_detail, name="problem-detail"),
    path("problems/<int:pk>/<slug:step>/", views_problems.problem_step, name="problem-step"),
    path("meetings/", views_meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/pack/", views_meetings.meeting_pack, name="meeting-pack"),
    path("meetings/<int:pk>/minutes/", views_meetings.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/decisions/", views_meetings.meeting_decision, name="meeting-decision"),
    path("acknowledge/", views_requests.acknowledge_list, name="acknowledge-list"),
    path("acknowledge/all/", views_requests.acknowledge_many, name="acknowledge-all"),
    path("acknowledge/<int:task_pk>/<int:unit_pk>/", views_requests.acknowledge_one, name="acknowledge-one"),
    path("requests/", views_requests.request_list, name="request-list"),
    path("requests/new/", views_requests.request_new, name="request-new"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/<slug:step>/", views_requests.request_step, name="request-step"),
    path("tasks/bulk/", bulk, name="bulk"),
    path("tasks/bulk/done/", bulk_result, name="bulk-result"),
]
