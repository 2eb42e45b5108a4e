from django.urls import path

from tongtui.notify import views, views_robots

app_name = "notify"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read-all"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/deliveries/", views.delivery_list, name="deliveries"),
    path("notifications/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
    path("setup/robots/", views_robots.robot_list, name="robot-list"),
    path("setup/robots/<int:pk>/", views_robots.robot_edit, name="robot-edit"),
    path("setup/robots/<int:pk>/test/", views_robots.robot_test, name="robot-test"),
    path("setup/robots/<int:pk>/<slug:step>/", views_robots.robot_switch, name="robot-switch"),
]
