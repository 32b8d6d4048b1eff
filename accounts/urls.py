from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_edit, name="settings"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar-regenerate"),
    path("data/", views.data_export, name="data-export"),
    path("delete/", views.account_delete, name="account-delete"),
]
