from django.urls import path

from tongtui.publicity import views, views_practices, views_public

app_name = "publicity"

urlpatterns = [
    path("bulletins/", views.archive, name="list"),
    path("bulletins/new/", views.generate, name="generate"),
    path("bulletins/<int:pk>/", views.detail, name="detail"),
    path("bulletins/<int:pk>/edit/", views.edit, name="edit"),
    path("bulletins/<int:pk>/publish/", views.publish, name="publish"),
    path("bulletins/<int:pk>/docx/", views.docx, name="docx"),
    path("practices/", views_practices.library, name="practices"),
    path("practices/new/", views_practices.new, name="practice-new"),
    path("practices/<int:pk>/", views_practices.detail, name="practice"),
    path("practices/<int:pk>/edit/", views_practices.edit, name="practice-edit"),
    path("practices/<int:pk>/photos/", views_practices.photo_add, name="practice-photo-add"),
    path("practices/<int:pk>/<slug:name>/", views_practices.step, name="practice-step"),
    path("practices/photos/<int:pk>/", views_practices.photo, name="practice-photo"),
    path("practices/photos/<int:pk>/delete/", views_practices.photo_delete, name="practice-photo-delete"),
    path("public/", views_public.index, name="public"),
    path("public/<str:key>/", views_public.task, name="public-task"),
    path("public-entries/", views_public.entries, name="public-entries"),
    path("public-entries/<int:task_pk>/", views_public.entry, name="public-entry"),
]
