"""Every page a crawl of the demo reaches, as each role (anonymous, member, organizer,
moderator), outside /admin/, is valid HTML by the Nu HTML Checker (vnu.jar from the npm
package vnu-jar, which .ci/run installs; run with the machine's Java). One checker run for
all the pages: starting the JVM costs more than checking them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PEOPLE

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ROLES = {"anonymous": None, "member": "mina", "organizer": "olive", "moderator": "max"}
STARTS = ["/", "/circles/", "/library/", "/circles/mine/", "/notifications/", "/settings/"]
# Search results, which no link reaches (the library's links on to each reading's search).
STARTS += ["/library/?q=division+labor", "/circles/tomorrows-readers/search/?q=chapter+thesis"]
# Not pages: files, feeds, actions, the admin, and links that only sign out or redirect.
SKIP = re.compile(
    r"^/(admin|static|accounts/logout|calendar)/|\.(ics|json|png|svg|css|js)$|/event\.ics$"
)
PAGES_PER_ROLE = 150

pytestmark = [
    pytest.mark.skipif(not VNU.exists(), reason="vnu.jar missing: run `npm ci` (as .ci/run does)"),
    pytest.mark.skipif(not shutil.which("java"), reason="no Java runtime for the Nu HTML Checker"),
    pytest.mark.one_database,  # templates do not depend on the database
]


def crawl(client: Client) -> dict[str, str]:
    """Path → HTML for the pages reached from STARTS, breadth first."""
    seen: dict[str, str] = {}
    queue = deque(STARTS)
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen or SKIP.search(urlsplit(path).path):
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        for href in re.findall(r'href="(/[^"]*)"', html):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if link and link not in seen:
                queue.append(link)
    return {path: html for path, html in seen.items() if html}


def test_every_page_the_demo_reaches_is_valid_html(db, tmp_path, capsys):
    call_command("demo", "--no-serve")
    capsys.readouterr()
    pages: dict[Path, str] = {}
    emails = {person.email.split("@")[0]: person.email for person in DEMO_PEOPLE}
    for role, name in ROLES.items():
        client = Client()
        if name:
            from accounts.models import User

            client.force_login(User.objects.get(email=emails[name]))
        for n, (path, html) in enumerate(sorted(crawl(client).items())):
            file = tmp_path / f"{role}-{n:03}.html"
            file.write_text(html)
            pages[file] = f"{role} {path}"
    assert len(pages) > 60  # the crawl reached the site, not one page
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = sorted(
        {
            f"{pages[Path(urlsplit(m['url']).path)]}: {m['message']}"
            for m in messages
            if m.get("type") == "error"
        }
    )
    assert errors == []
