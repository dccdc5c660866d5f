from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "frisat.web"
    label = "web"
    verbose_name = "Portal"
