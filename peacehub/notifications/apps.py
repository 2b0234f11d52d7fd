from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "peacehub.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from peacehub.notifications import services

        request_started.connect(services.after_response_started)
        request_finished.connect(services.after_response_finished)
