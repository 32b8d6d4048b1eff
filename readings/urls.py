from __future__ import annotations

from django.urls import path

from . import views

app_name = "readings"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.reading_create, name="reading-create"),
    path("<slug:slug>/", views.reading_detail, name="reading"),
    path("<slug:slug>/search/", views.reading_search, name="reading-search"),
    path("<slug:slug>/progress/", views.progress_save, name="progress-save"),
    path("<slug:slug>/<int:number>/", views.chapter_detail, name="chapter"),
]
