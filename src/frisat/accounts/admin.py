from django.contrib import admin

from frisat.accounts.models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "municipality", "institution")
    list_filter = ("role",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
