from tongtui.dispatch.models.cycles import DueKind, Frequency, ReminderPolicy, ReportCycle, Shift, Weekday
from tongtui.dispatch.models.evidence import Attachment
from tongtui.dispatch.models.meetings import Decision, DecisionKind, Meeting, MeetingScope, MeetingStatus
from tongtui.dispatch.models.problems import AddressedTo, Problem, ProblemAnswer, ProblemStatus
from tongtui.dispatch.models.reminders import PeriodicJob, Reminder, ReminderKind
from tongtui.dispatch.models.reports import (
    EDITABLE,
    FILED,
    MilestoneClaim,
    ProgressReport,
    ReportContribution,
    ReportIndicatorValue,
    ReportStatus,
)
from tongtui.notify.models import Notification  # moved to notify; the name stays importable here

__all__ = [
    "AddressedTo",
    "Decision",
    "DecisionKind",
    "Meeting",
    "MeetingScope",
    "MeetingStatus",
    "MilestoneClaim",
    "Problem",
    "ProblemAnswer",
    "ProblemStatus",
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
