from django.urls import path

from tongtui.plans import views_import

urlpatterns = [
    path("plans/<int:year>/import/", views_import.upload, name="task-import"),
    path("plans/<int:year>/import/<int:pk>/", views_import.preview, name="task-import-preview"),
    path("plans/<int:year>/import/<int:pk>/confirm/", views_import.confirm, name="task-import-confirm"),
]
