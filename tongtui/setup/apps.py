from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    name = "tongtui.setup"
    label = "setup"
    verbose_name = _("Settings")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tongtui.orgs.middleware import remember_at_login

        # The password-change middleware reads at login whether the person must change the password.
        user_logged_in.connect(remember_at_login, dispatch_uid="orgs.remember_password_change_at_login")
