from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from tongtui.setup.urls import account_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("tongtui.api.urls")),
    path("", include("tongtui.home.urls")),
    path("", include("tongtui.core.urls")),
    path("", include("tongtui.orgs.urls")),
    path("", include("tongtui.plans.urls")),
    path("", include("tongtui.notify.urls")),
    path("", include("tongtui.dispatch.urls")),
    path("", include("tongtui.supervision.urls")),
    path("", include("tongtui.assessment.urls")),
    path("", include("tongtui.publicity.urls")),
    path("", include("tongtui.collaboration.urls")),
    path("", include("tongtui.calendars.urls")),
    path("", include("tongtui.setup.urls")),
    *account_urlpatterns,
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "tongtui.api.handlers.bad_request"
handler403 = "tongtui.api.handlers.permission_denied"
handler404 = "tongtui.api.handlers.page_not_found"
handler500 = "tongtui.api.handlers.server_error"
