"""API of supervision: lights and forecasts (and, beside them, the office's supervision records)."""

from typing import Any

from tongtui.supervision import api_chases, api_lights, api_orders

routes: list[tuple[str, Any, str]] = []
routes += api_lights.routes  # traffic lights, forecasts and trajectories
routes += api_orders.routes  # rectification orders, admonitions, accountability, integrity flags, spot checks
routes += api_chases.routes  # chase notices (督办通知)
