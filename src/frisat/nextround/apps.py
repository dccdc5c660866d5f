from django.apps import AppConfig


class NextRoundConfig(AppConfig):
    name = "frisat.nextround"
    label = "nextround"
    verbose_name = "Næste runde: frikommuneansøgninger og scenarier"
