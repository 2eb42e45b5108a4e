from tongtui.supervision.models.lights import LightHistory, LightPolicy, LightState, TaskLight

__all__ = [
    "LightHistory",
    "LightPolicy",
    "LightState",
    "TaskLight",
]
