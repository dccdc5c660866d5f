from django.urls import path

from frisat.web import views
from frisat.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("en/", views.home, name="home-en"),
    path("api/v1/", api.urls),
]
