from django.urls import include, path

urlpatterns = [
    path("", include("tongtui.plans.urls_tasks")),
    path("", include("tongtui.plans.urls_import")),
    path("", include("tongtui.plans.urls_ledger")),
]
