from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "peacehub.events"
    label = "events"
    verbose_name = _("Light in the Night and safe spaces")
