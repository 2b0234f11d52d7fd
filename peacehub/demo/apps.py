from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models and no pages: the app holds only the seed_demo command, so its name is
    # never shown to a user and needs no translation.
    name = "peacehub.demo"
    label = "demo"
    verbose_name = "Demo data"
