from django.urls import path

from tongtui.assessment import views, views_yearend

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
    path("assessment/<int:year>/year-end/", views_yearend.review, name="yearend"),
    path("assessment/<int:year>/year-end/decide/", views_yearend.decide, name="yearend-decide"),
    path("assessment/<int:year>/year-end/settle/", views_yearend.settle, name="yearend-settle"),
    path("assessment/<int:year>/year-end/carry-over/", views_yearend.carry, name="yearend-carry"),
    path("assessment/<int:year>/year-end/freeze/", views_yearend.freeze, name="yearend-freeze"),
    path("assessment/<int:year>/year-end/results.xlsx", views_yearend.results_xlsx, name="yearend-xlsx"),
    path("assessment/<int:year>/year-end/report.docx", views_yearend.report_docx, name="yearend-docx"),
]
