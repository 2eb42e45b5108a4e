from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tongtui.api"
    label = "api"
