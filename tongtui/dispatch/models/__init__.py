from tongtui.dispatch.models.cycles import DueKind, Frequency, ReminderPolicy, ReportCycle, Shift, Weekday
from tongtui.dispatch.models.evidence import Attachment
from tongtui.dispatch.models.notices import Notification
from tongtui.dispatch.models.reminders import PeriodicJob, Reminder, ReminderKind
from tongtui.dispatch.models.reports import (
    EDITABLE,
    FILED,
    ProgressReport,
    ReportContribution,
    ReportIndicatorValue,
    ReportStatus,
)

__all__ = [
    "EDITABLE",
    "FILED",
    "Attachment",
    "DueKind",
    "Frequency",
    "Notification",
    "PeriodicJob",
    "Reminder",
    "ReminderKind",
    "ProgressReport",
    "ReminderPolicy",
    "ReportContribution",
    "ReportCycle",
    "ReportIndicatorValue",
    "ReportStatus",
    "Shift",
    "Weekday",
]
