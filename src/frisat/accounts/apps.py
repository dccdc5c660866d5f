from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "frisat.accounts"
    label = "accounts"
    verbose_name = "Brugere og roller"
