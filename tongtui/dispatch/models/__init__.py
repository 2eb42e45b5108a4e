from tongtui.dispatch.models.cycles import DueKind, Frequency, ReminderPolicy, ReportCycle, Shift, Weekday

__all__ = ["DueKind", "Frequency", "ReminderPolicy", "ReportCycle", "Shift", "Weekday"]
