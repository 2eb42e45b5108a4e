from django.urls import path, re_path

from tongtui.calendars import views

app_name = "calendars"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/feeds/", views.feed_list, name="feeds"),
    path("calendar/feeds/add/", views.feed_add, name="feed-add"),
    path("calendar/feeds/<int:pk>/reset/", views.feed_reset, name="feed-reset"),
    re_path(r"^calendar/ical/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", views.ical_feed, name="ical"),
]
