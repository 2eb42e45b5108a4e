"""Models of the plans app, one module per concept; import them from here."""

from tongtui.plans.models.imports import TaskImport
from tongtui.plans.models.requests import ChangeRequest, RequestKind, RequestStatus
from tongtui.plans.models.tasks import (
    PERCENT,
    Category,
    CoGroup,
    CoUnit,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    Source,
    Task,
    TaskQuerySet,
    TaskStatus,
)
from tongtui.plans.models.yearend import NEEDS_REASON, Outcome, TaskOutcome

__all__ = [
    "PERCENT",
    "Category",
    "ChangeRequest",
    "CoGroup",
    "CoUnit",
    "Indicator",
    "IndicatorValue",
    "NEEDS_REASON",
    "Milestone",
    "Outcome",
    "Plan",
    "RequestKind",
    "RequestStatus",
    "Source",
    "Task",
    "TaskImport",
    "TaskOutcome",
    "TaskQuerySet",
    "TaskStatus",
]
