from django.urls import path

from tongtui.home import health, views, views_profile

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("home/badges/", views.badges, name="home-badges"),
    path("account/", views_profile.profile, name="profile"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/weekly/", views.weekly, name="cockpit-weekly"),
    path("cockpit/weekly.docx", views.weekly_docx, name="cockpit-weekly-docx"),
]
