"""The admin's log-in is throttled like the staff log-in (workflow/login.py)."""

from django.contrib import admin

from frisat.workflow.login import ThrottledAdminLoginForm

admin.site.login_form = ThrottledAdminLoginForm
