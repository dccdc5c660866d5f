from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "frisat.workflow"
    label = "workflow"
    verbose_name = "Sagsgang for beslutninger"
