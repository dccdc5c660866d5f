from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "frisat.registry"
    label = "registry"
    verbose_name = "Register"
