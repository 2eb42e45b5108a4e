from django.urls import path

from tongtui.assessment import views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.index, name="index"),
    path("assessment/<int:year>/ranking/", views.ranking, name="ranking"),
    path("assessment/<int:year>/ranking/publish/", views.publish, name="publish"),
    path("assessment/<int:year>/lists/", views.lists, name="lists"),
    path("assessment/<int:year>/lists/publish/", views.publish_lists, name="publish_lists"),
    path("assessment/<int:year>/units/<int:unit_id>/", views.unit, name="unit"),
    path("assessment/<int:year>/scheme/", views.scheme, name="scheme"),
    path("assessment/<int:year>/entries/", views.entries, name="entries"),
    path("assessment/<int:year>/entries/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
