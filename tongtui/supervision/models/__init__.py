from tongtui.supervision.models.chases import OPEN_CHASE, ChaseNotice, ChaseStatus
from tongtui.supervision.models.integrity import FlagKindChoice, FlagStatus, IntegrityFlag
from tongtui.supervision.models.lights import LightHistory, LightPolicy, LightState, TaskLight
from tongtui.supervision.models.orders import (
    OPEN_ORDER,
    Accountability,
    AccountabilityKind,
    Admonition,
    AdmonitionStatus,
    OrderStatus,
    RectificationOrder,
    SupervisionFile,
)
from tongtui.supervision.models.spotchecks import CheckResult, SpotCheck, SpotCheckItem

__all__ = [
    "OPEN_CHASE",
    "OPEN_ORDER",
    "ChaseNotice",
    "ChaseStatus",
    "Accountability",
    "AccountabilityKind",
    "Admonition",
    "AdmonitionStatus",
    "CheckResult",
    "FlagKindChoice",
    "FlagStatus",
    "IntegrityFlag",
    "OrderStatus",
    "RectificationOrder",
    "SpotCheck",
    "SpotCheckItem",
    "SupervisionFile",
    "LightHistory",
    "LightPolicy",
    "LightState",
    "TaskLight",
]
