"""Take the README's screenshots from a fresh demo, with Playwright and Debian's Chromium.

    uv run python docs/screenshots.py

Sets the demo up in a temporary SQLite database, serves it on a free local port, signs in
as a demo member and saves PNGs into docs/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    database = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "manage.py", "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 860}, base_url=base)
            page.goto("/accounts/login/")
            page.get_by_label("Email:").fill("mina@demo.marginalia.test")
            page.get_by_label("Password:").fill("read-together")
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_url(f"{base}/")
            page.goto("/circles/tomorrows-readers/read/all-tomorrows-parties/2/")
            highlight = page.locator("mark.hl").first
            if highlight.count():
                highlight.click()
                page.wait_for_timeout(600)
            page.screenshot(path=DOCS / "screenshot.png")
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto("/circles/tomorrows-readers/")
            page.screenshot(path=DOCS / "screenshot-phone.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
