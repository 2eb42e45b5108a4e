from django.urls import path

from tongtui.plans import views_ledger

urlpatterns = [
    path("tasks/ledger.xlsx", views_ledger.ledger_download, name="ledger-download"),
]
