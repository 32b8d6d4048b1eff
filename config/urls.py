from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import login

from . import views

admin.site.site_header = "Marginalia administration"
admin.site.site_title = "Marginalia administration"
admin.site.index_title = "Site administration"
# The admin signs in through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    # allauth's log-in, answering a lockout with 429 (accounts.views.login); before allauth's.
    path("accounts/login/", login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("accounts.urls")),
    path("library/", include("readings.urls")),
    path("", include("circles.urls")),
    path("", include("discussions.urls")),
    path("", include("notifications.urls")),
]

# The 500 page in the site's layout (Django's own renders it without a request).
handler500 = "config.views.server_error"
