"""The REST API: one router that collects the `routes` of each Tongtui app's `api` module.

An app publishes endpoints by defining, in `<app>/api.py`,
    routes = [("tasks", TaskViewSet, "task"), ...]   # (URL prefix, viewset, basename)
"""

from importlib import import_module

from django.apps import apps
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tongtui.api.views import ObtainToken, RotateToken


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    router.include_root_view = False
    for config in apps.get_app_configs():
        if not config.name.startswith("tongtui.") or not module_has_submodule(config.module, "api"):
            continue
        module = import_module(f"{config.name}.api")
        for prefix, viewset, basename in getattr(module, "routes", []):
            router.register(prefix, viewset, basename=basename)
    return router


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other address under /api/ answers in JSON too, not with the web UI's HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("auth/token/rotate/", RotateToken.as_view(), name="api-token-rotate"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script (CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    *build_router().urls,
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]
