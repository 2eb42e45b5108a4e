from django.urls import path

from tongtui.calendars import views

app_name = "calendars"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
]
