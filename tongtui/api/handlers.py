"""Errors Django raises before any API view runs (no URL matched, a bad request, a crash) answered as JSON
under /api/, in the API's own shape ({"detail": …}); every other path keeps the ordinary pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Server error: the administrators have been told.")}, status=500)
    return defaults.server_error(request)
