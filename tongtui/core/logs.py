"""Structured logs: every line written while a request is served carries its request id, user, method and path
(settings.LOGGING's "request" filter), and each request may be logged once, with its status and duration
(logger "tongtui.requests", on with LOG_REQUESTS=True). The request id comes from the proxy's X-Request-ID
when it sends one (nginx: $request_id), so nginx's access log and Tongtui's lines can be joined; it is sent
back in the response's X-Request-ID."""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

_current: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("tongtui_request", default=None)
requests_log = logging.getLogger("tongtui.requests")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id(header: str | None) -> str:
    """The proxy's id when it is a plain token (never trust a header into logs as is), else a new one."""
    if header and _SAFE_ID.match(header):
        return header
    return uuid.uuid4().hex


def _username(request: HttpRequest | None) -> str:
    """Who is logged in, once authentication has run ("-" before, for anonymous users, or on any trouble)."""
    from django.contrib.auth.base_user import AbstractBaseUser  # (logging is configured before the apps load)

    user = getattr(request, "_cached_user", None)  # what django.contrib.auth already loaded; never a query
    if user is None and request is not None and issubclass(type(request.__dict__.get("user")), AbstractBaseUser):
        user = request.__dict__["user"]  # set by the API's token authentication (type(): a lazy user stays lazy)
    return user.get_username() if user is not None and user.is_authenticated else "-"


class RequestFilter(logging.Filter):
    """Adds request_id, user, method and path to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get() or {}
        if current and current.get("user") == "-":
            current["user"] = _username(current.get("request"))
        for key in ("request_id", "user", "method", "path"):
            if not hasattr(record, key):
                setattr(record, key, current.get(key, "-"))
        return True


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id(request.headers.get("X-Request-ID"))
        context: dict[str, Any] = {
            "request_id": rid, "user": "-", "method": request.method, "path": request.path, "request": request,
        }  # fmt: skip
        token = _current.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            context["user"] = _username(request) if context["user"] == "-" else context["user"]
            response["X-Request-ID"] = rid
            if requests_log.isEnabledFor(logging.INFO):
                requests_log.info(
                    "%s %s %s %.1f ms", request.method, request.path, response.status_code,
                    (time.perf_counter() - started) * 1000,
                    extra={"status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
                )  # fmt: skip
            return response
        finally:
            _current.reset(token)
