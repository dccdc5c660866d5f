from django.contrib.auth.views import LogoutView
from django.urls import path

from frisat.nextround import staff as applications
from frisat.workflow import views

urlpatterns = [
    path("", views.dashboard, name="staff-home"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", LogoutView.as_view(next_page="/"), name="logout"),
    path("beslutning/ny", views.draft_edit, name="draft-new"),
    path("beslutning/<str:decision_id>", views.draft_edit, name="draft"),
    path("beslutning/<str:decision_id>/vedtag", views.draft_adopt, name="draft-adopt"),
    path("beslutning/<str:decision_id>/offentliggoer", views.draft_publish,
         name="draft-publish"),
    path("beslutning/<str:decision_id>/genaabn", views.draft_reopen, name="draft-reopen"),
    path("regelsaet", views.rules_and_delegations, name="staff-rules"),
    path("bestemmelser", views.provision_picker, name="picker"),
    path("bestemmelser.json", views.provision_suggestions, name="picker-json"),
    path("meddelelser", views.inbox, name="inbox"),
    path("ordninger", views.regimes, name="staff-regimes"),
    path("beslutninger", views.decisions, name="staff-decisions"),
    path("revision", views.audit_trail, name="audit"),
    # frikommune applications (frisat.nextround)
    path("ansoegninger", applications.overview, name="staff-applications"),
    path("ansoegninger/runde", applications.new_round, name="staff-round-new"),
    path("ansoegninger/meddelelse/<int:event_id>", applications.read_notice,
         name="staff-application-notice"),
    path("ansoegning/ny", applications.edit, name="staff-application-new"),
    path("ansoegning/<str:app_id>", applications.edit, name="staff-application"),
    path("ansoegning/<str:app_id>/<slug:action>", applications.act,
         name="staff-application-act"),
]
