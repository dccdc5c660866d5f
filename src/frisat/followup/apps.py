from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "frisat.followup"
    label = "followup"
    verbose_name = "Opfølgning og resultater"

    def ready(self) -> None:
        # a bundle may carry a `lessons` section: read and stored with the rest, atomically
        from frisat.followup.lessons import bundle_section
        from frisat.registry.loader import register_section

        register_section("lessons", bundle_section)
