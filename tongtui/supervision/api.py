"""API of supervision: lights and forecasts (and, beside them, the office's supervision records)."""

from typing import Any

routes: list[tuple[str, Any, str]] = []
