"""A reading from a link: fetched in the request from a local server (with private addresses
allowed), the same preview as an upload; and every refusal, each with one message."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from readings.fetch import PinnedHTTPConnection, fetch
from readings.importers import ReadingImportError
from readings.models import Reading
from tests.readings.importers.pdfwriter import book_pdf
from tests.readings.importers.support import FIXTURES, make_epub
from tests.readings.linkserver import LinkServer, Route, gzip_bomb

URL = reverse("readings:reading-create")
BOOK = b"The Harbour Book\n\nCHAPTER I.\n\nThe lantern was lit.\n\nCHAPTER II.\n\nThe storm came.\n"
LIMIT = 1024 * 1024


@pytest.fixture
def server():
    with LinkServer() as running:
        running.routes.update(
            {
                "/book.txt": Route(headers={"Content-Type": "text/plain"}, body=BOOK),
                "/latin1.txt": Route(
                    headers={"Content-Type": "text/plain; charset=iso-8859-1"},
                    body="Café Stories\n\nThe café was open.\n".encode("latin-1"),
                ),
                "/post": Route(
                    headers={"Content-Type": "text/html; charset=utf-8"},
                    body=(FIXTURES / "saved_article.html").read_bytes(),
                ),
                "/book.pdf": Route(headers={"Content-Type": "application/pdf"}, body=book_pdf()),
                "/download": Route(
                    headers={"Content-Type": "application/octet-stream"},
                    body=make_epub([("a.xhtml", "<body><h1>One</h1><p>Text.</p></body>")]),
                ),
                "/moved": Route(302, {"Location": "/book.txt"}),
                "/loop": Route(302, {"Location": "/loop"}),
                "/to-file": Route(302, {"Location": "file:///etc/passwd"}),
                "/picture.png": Route(headers={"Content-Type": "image/png"}, body=b"\x89PNG"),
                "/huge": Route(
                    headers={"Content-Type": "text/plain", "Content-Length": "30000000"}
                ),
                "/endless": Route(
                    headers={"Content-Type": "text/plain"},
                    body=lambda: (b"word " * 20_000 for _ in range(1000)),
                ),
                "/bomb": Route(
                    headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
                    body=gzip_bomb(50),
                ),
                "/slow": Route(headers={"Content-Type": "text/plain"}, body=BOOK, delay=3),
                "/drip": Route(
                    headers={"Content-Type": "text/plain"},
                    body=lambda: ((time.sleep(0.2), b"x")[1] for _ in range(40)),
                ),
                "/gone": Route(404, body=b"Not here"),
            }
        )
        running.routes["/to-unspecified"] = Route(
            302, {"Location": running.url("/book.txt", host="0.0.0.0")}
        )
        yield running


@pytest.fixture
def private_allowed(settings):
    settings.READING_FETCH_ALLOW_PRIVATE = True
    settings.READING_FETCH_TIMEOUT = 1
    settings.READING_UPLOAD_MAX_BYTES = LIMIT


def refused(url: str) -> str:
    with pytest.raises(ReadingImportError) as error:
        fetch(url, max_bytes=LIMIT)
    return str(error.value)


# --- The preview and the save --------------------------------------------------------------


@pytest.mark.django_db
def test_a_link_gets_the_same_preview_as_an_upload_and_saves(
    client, staff, server, private_allowed
):
    client.force_login(staff)

    preview = client.post(URL, {"url": server.url("/book.txt")})

    assert preview.status_code == 200
    assert "2 chapters found in the file" in preview.text
    assert not Reading.objects.exists()
    form = preview.context["step"].confirm_form
    assert form.initial["title"] == "The Harbour Book"
    assert form.initial["source_note"] == server.url("/book.txt")
    saved = client.post(URL, {**form.initial, "author": ""})
    assert saved.status_code == 302
    reading = Reading.objects.get()
    assert (reading.title, reading.source_note) == ("The Harbour Book", server.url("/book.txt"))


@pytest.mark.django_db
def test_a_refused_link_is_one_message_and_nothing_is_kept(client, staff, server, settings):
    settings.READING_FETCH_ALLOW_PRIVATE = False
    client.force_login(staff)

    response = client.post(URL, {"url": server.url("/book.txt")})

    assert response.context["step"].upload_form.errors["url"] == [
        "The link points to a private or local address (127.0.0.1), which is not allowed; "
        "give a public address."
    ]
    assert not Reading.objects.exists()
    assert not client.session.get("readings.uploads")
    assert server.hosts == []  # nothing was asked of the server


@pytest.mark.django_db
def test_a_file_and_a_link_together_are_refused(client, staff, server, private_allowed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    file = SimpleUploadedFile("book.txt", BOOK, content_type="text/plain")
    response = client.post(URL, {"file": file, "url": server.url("/book.txt")})
    assert "Choose a file or give a link, not both." in response.text
    assert "Choose a file to upload, or give a link to one." in client.post(URL, {}).text


@pytest.mark.django_db
def test_the_admin_import_accepts_a_link(client, staff, server, private_allowed):
    client.force_login(staff)
    response = client.post(reverse("admin:readings_reading_import"), {"url": server.url("/post")})
    assert response.status_code == 200
    assert "Keeping a Harbour Light in Code" in response.text
    assert "The program" in response.text


# --- What a link may be ----------------------------------------------------------------------


def test_articles_pdfs_and_epubs_are_fetched(server, private_allowed):
    post = fetch(server.url("/post"), max_bytes=LIMIT)
    assert (post.content_type, post.filename) == ("text/html", "post.html")
    assert fetch(server.url("/book.pdf"), max_bytes=LIMIT).filename == "book.pdf"
    download = fetch(server.url("/download"), max_bytes=LIMIT)
    assert (download.content_type, download.filename) == ("application/epub+zip", "download.epub")


def test_redirects_are_followed(server, private_allowed):
    fetched = fetch(server.url("/moved"), max_bytes=LIMIT)
    assert (fetched.url, fetched.data) == (server.url("/book.txt"), BOOK)


def test_the_servers_charset_is_honoured(client, staff, server, private_allowed, db):
    client.force_login(staff)
    preview = client.post(URL, {"url": server.url("/latin1.txt")})
    assert preview.context["step"].confirm_form.initial["title"] == "Café Stories"


def test_the_connection_goes_to_the_checked_address_not_a_new_lookup(server):
    """The name is sent as the Host, but never looked up again: here it could not be."""
    connection = PinnedHTTPConnection("reading.invalid", server.port, "127.0.0.1", timeout=2)
    connection.request("GET", "/book.txt")
    assert connection.getresponse().read() == BOOK
    assert server.hosts == [f"reading.invalid:{server.port}"]


# --- Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://localhost/", "127.0.0.1"),
        ("http://10.1.2.3/book.txt", "10.1.2.3"),
        ("http://192.168.0.10/", "192.168.0.10"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]/", "::1"),
        ("http://[fd00::1]/", "fd00::1"),
        ("http://[::ffff:127.0.0.1]/", "127.0.0.1"),
        ("http://100.64.0.1/", "100.64.0.1"),
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, address, settings):
    settings.READING_FETCH_ALLOW_PRIVATE = False
    started = time.monotonic()
    message = refused(url)
    assert message == (
        f"The link points to a private or local address ({address}), which is not allowed; "
        "give a public address."
    )
    assert time.monotonic() - started < 1  # refused before any connection


def test_the_unspecified_address_is_refused_even_when_private_ones_are_allowed(private_allowed):
    assert refused("http://0.0.0.0/") == (
        "The link points to an address that cannot be fetched (0.0.0.0)."
    )


def test_every_redirect_is_checked_again(server, private_allowed):
    assert refused(server.url("/to-unspecified")) == (
        "The link points to an address that cannot be fetched (0.0.0.0)."
    )
    assert refused(server.url("/to-file")) == "Only http:// and https:// links can be read."
    assert refused(server.url("/loop")) == "The link redirects more than 5 times."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/book.txt", "Only http:// and https:// links can be read."),
        (
            "http://reader:secret@example.org/",
            "Links carrying a user name or password are not accepted.",
        ),
        ("http://reading.invalid/", "The link's host “reading.invalid” could not be found."),
    ],
)
def test_links_that_are_not_plain_web_addresses_are_refused(url, message, private_allowed):
    assert refused(url) == message


def test_a_type_that_is_not_a_text_is_refused(server, private_allowed):
    assert refused(server.url("/picture.png")) == (
        "The link leads to a file of type image/png, not a text; give a link to an HTML page, "
        "a text, Markdown, EPUB or PDF file."
    )


def test_too_large_is_refused_by_its_length_and_while_reading(server, private_allowed):
    assert refused(server.url("/huge")) == "The file is too large (29 MB); the limit is 1 MB."
    assert refused(server.url("/endless")).endswith("; the limit is 1 MB.")


def test_a_compressed_body_is_bounded_once_inflated(server, private_allowed):
    assert len(gzip_bomb(50)) < LIMIT
    assert refused(server.url("/bomb")).endswith("; the limit is 1 MB.")


def test_a_server_too_slow_to_answer_is_refused(server, private_allowed):
    started = time.monotonic()
    assert refused(server.url("/slow")) == "The link did not answer within 1 seconds."
    assert refused(server.url("/drip")) == "The link did not answer within 1 seconds."
    assert time.monotonic() - started < 4


def test_an_error_status_is_named(server, private_allowed):
    assert refused(server.url("/gone")) == "The link answered 404 Not Found."
