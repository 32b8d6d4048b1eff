"""Security headers and protections a visitor's browser relies on."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(directives)


def test_pages_carry_a_strict_csp_with_a_fresh_nonce_matching_the_page(client, db):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    policy = csp_of(first)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    page_nonces = set(re.findall(r'nonce="([^"]+)"', first.content.decode()))
    assert page_nonces == {nonce}
    assert nonce not in second["Content-Security-Policy"]

    header = first["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_event_handlers_or_styles(client, member):
    client.force_login(member)
    for url in ["/", "/settings/", "/accounts/login/", "/accounts/email/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"\son[a-z]+=", html), url
        assert " style=" not in html, url


def test_posts_without_a_csrf_token_are_refused(db, member):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"login": member.email, "password": "x"})
    assert response.status_code == 403
    browser.force_login(member)
    response = browser.post("/settings/", {"display_name": "Hacked", "time_zone": "UTC"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name != "Hacked"


def test_htmx_gets_the_csrf_token_from_the_body(client, db):
    html = client.get("/").content.decode()
    assert re.search(r"<body data-hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)


def test_the_admin_login_goes_through_allauth(client, member):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 403


def test_the_admin_is_branded(client, staff):
    client.force_login(staff)
    assert b"Marginalia administration" in client.get("/admin/").content


def production_environment(**overrides: str) -> dict[str, str]:
    """The environment of a production process: none of the test run's own switches."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    return {**environment, **overrides}


def test_check_deploy_passes_with_production_settings():
    environment = production_environment(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = production_environment(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_the_health_check_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def production_setting(*names: str) -> list[str]:
    """`names` as the production settings have them (DJANGO_DEBUG=0), from a fresh process."""
    environment = production_environment(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    code = "from django.conf import settings; import django; django.setup(); " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_cookies_carry_the_host_prefix_secure_on_the_whole_site_without_domain():
    names = ["SESSION_COOKIE", "CSRF_COOKIE"]
    values = production_setting(
        *(f"{n}_{part}" for n in names for part in ("NAME", "SECURE", "PATH", "DOMAIN"))
    )
    assert values == [
        *("'__Host-sessionid'", "True", "'/'", "None"),
        *("'__Host-csrftoken'", "True", "'/'", "None"),
    ]


def test_the_development_cookies_keep_their_plain_names(client, settings, db):
    """__Host- cookies need HTTPS; on http://127.0.0.1 the demo keeps Django's names."""
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    response = client.get("/accounts/login/")
    assert "csrftoken" in response.cookies
