from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongtui.core"
    label = "core"
