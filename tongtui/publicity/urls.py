from django.urls import path

from tongtui.publicity import views

app_name = "publicity"

urlpatterns = [
    path("bulletins/", views.archive, name="list"),
    path("bulletins/new/", views.generate, name="generate"),
    path("bulletins/<int:pk>/", views.detail, name="detail"),
    path("bulletins/<int:pk>/edit/", views.edit, name="edit"),
    path("bulletins/<int:pk>/publish/", views.publish, name="publish"),
    path("bulletins/<int:pk>/docx/", views.docx, name="docx"),
]
