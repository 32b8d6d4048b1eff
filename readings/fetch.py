"""A reading from a link: fetch an http(s) address safely, for the same preview as an upload.

It happens in the request, with a short timeout (`READING_FETCH_TIMEOUT`, 10 seconds by
default), not as a task: a person is waiting for the preview, the answer is bounded by the
upload limit, and a slow or silent server is simply refused ("did not answer within 10
seconds"), so there is no progress worth reporting.

What is refused, each with one message naming the problem:
- any scheme but http and https, and links carrying a user name or password;
- addresses that are not public — private, loopback, link-local, shared, reserved, multicast
  (`10.0.0.1`, `127.0.0.1`, `::1`, `169.254.169.254` …) — unless `READING_FETCH_ALLOW_PRIVATE`
  is on (an intranet, or the tests' local server); "unspecified" addresses (`0.0.0.0`) are
  refused even then. The host name is resolved once, every address it resolves to is
  checked, and the connection goes to the checked address (the name is still sent as the
  Host and used for TLS), so a second lookup cannot point it elsewhere (DNS rebinding);
- more than five redirects, and any redirect whose target fails any of these checks
  (every hop is checked again);
- no answer within the timeout (connecting, each read, and the whole download together);
- a body larger than the upload limit (`READING_UPLOAD_MAX_BYTES`), by its Content-Length
  or while reading, compressed bodies counted once inflated;
- content types other than HTML, XHTML, plain text, Markdown, EPUB or PDF (a generic
  `application/octet-stream` is accepted only if the bytes are an EPUB or a PDF).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

from .importers.base import ReadingImportError
from .importers.decode import too_large_message

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Marginalia/1.0 (reading importer)"
TEXT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/epub+zip": ".epub",
    "application/pdf": ".pdf",
}
_ACCEPT = ", ".join([*TEXT_TYPES, "*/*;q=0.1"])


@dataclass
class Fetched:
    data: bytes
    url: str  # after redirects
    filename: str
    content_type: str
    charset: str  # from the Content-Type header, "" when it names none


def _refuse(message: str) -> ReadingImportError:
    return ReadingImportError(message)


def fetch_timeout() -> float:
    return float(getattr(settings, "READING_FETCH_TIMEOUT", 10))


def allow_private() -> bool:
    return bool(getattr(settings, "READING_FETCH_ALLOW_PRIVATE", False))


def check_address(address: str, private_allowed: bool) -> None:
    """Refuse an address that is not a public one (see the module's docstring)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        raise _refuse(f"The link points to an address that cannot be fetched ({ip}).")
    if not ip.is_global and not private_allowed:
        raise _refuse(
            f"The link points to a private or local address ({ip}), which is not allowed; "
            "give a public address."
        )


def resolve(host: str, port: int, private_allowed: bool) -> str:
    """The one address to connect to: the host's addresses, all checked, the first used."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _refuse(f"The link's host “{host}” could not be found.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise _refuse(f"The link's host “{host}” could not be found.")
    for address in addresses:
        check_address(address, private_allowed)
    return addresses[0]


class _Pinned:
    """Connects to a checked address whatever the host name would resolve to now."""

    address: str

    def _pinned_connection(self, target, timeout, source_address=None):  # noqa: ANN001
        return socket.create_connection((self.address, target[1]), timeout, source_address)


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self._create_connection = self._pinned_connection


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    """TLS with the host name (SNI and the certificate check), to the pinned address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address
        self._create_connection = self._pinned_connection


def _parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path and query) of an acceptable link."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise _refuse("The link is not a valid address.") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _refuse("Only http:// and https:// links can be read.")
    if parts.username or parts.password:
        raise _refuse("Links carrying a user name or password are not accepted.")
    if not parts.hostname:
        raise _refuse("The link names no host.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def _content_type(header: str) -> tuple[str, str]:
    message = Message()
    message["content-type"] = header or "application/octet-stream"
    return message.get_content_type(), message.get_param("charset") or ""


def _filename(url: str, disposition: str, media_type: str) -> str:
    name = ""
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        name = message.get_filename() or ""
    name = PurePosixPath(name or unquote(urlsplit(url).path)).name
    extension = TEXT_TYPES.get(media_type, "")
    if extension and PurePosixPath(name).suffix.lower() != extension:
        name = f"{PurePosixPath(name).stem or 'page'}{extension}"
    return name or "download"


class _Body:
    """Reads a response within the size and time bounds, inflating gzip or deflate."""

    def __init__(self, response: http.client.HTTPResponse, limit: int, deadline: float) -> None:
        self.response = response
        self.limit = limit
        self.deadline = deadline
        encoding = (response.getheader("Content-Encoding") or "identity").lower().strip()
        if encoding in ("identity", ""):
            self.inflate = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)
        else:
            raise _refuse(f"The server sent the file encoded as “{encoding}”, which is not read.")

    def read(self, timeout: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > self.deadline:
                raise _refuse(f"The link did not answer within {timeout:g} seconds.")
            chunk = self.response.read1(CHUNK)
            if not chunk:
                break
            if self.inflate is not None:
                chunk = self.inflate.decompress(chunk, self.limit + 1 - size)
            size += len(chunk)
            if size > self.limit:
                raise _refuse(too_large_message(size, self.limit))
            chunks.append(chunk)
        return b"".join(chunks)


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float | None = None,
    private_allowed: bool | None = None,
) -> Fetched:
    """GET `url` within the bounds of the module's docstring, or raise ReadingImportError."""
    timeout = fetch_timeout() if timeout is None else timeout
    private_allowed = allow_private() if private_allowed is None else private_allowed
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _parse(url)
        address = resolve(host, port, private_allowed)
        connection_class = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
        connection = connection_class(host, port, address, timeout)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": _ACCEPT,
                    "Accept-Encoding": "gzip, deflate, identity;q=0.5",
                },
            )
            response = connection.getresponse()
            if 300 <= response.status < 400 and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise _refuse(f"The link answered {response.status} {response.reason}.")
            return _read(url, response, max_bytes, deadline, timeout)
        except TimeoutError as error:
            raise _refuse(f"The link did not answer within {timeout:g} seconds.") from error
        except ssl.SSLError as error:
            raise _refuse(f"The secure connection to {host} failed ({error.reason}).") from error
        except (OSError, http.client.HTTPException) as error:
            raise _refuse(f"The link could not be read ({type(error).__name__}).") from error
        finally:
            connection.close()
    raise _refuse(f"The link redirects more than {MAX_REDIRECTS} times.")


def _read(
    url: str, response: http.client.HTTPResponse, limit: int, deadline: float, timeout: float
) -> Fetched:
    media_type, charset = _content_type(response.getheader("Content-Type", ""))
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _refuse(too_large_message(int(declared), limit))
    if media_type not in TEXT_TYPES and media_type != "application/octet-stream":
        raise _refuse(
            f"The link leads to a file of type {media_type}, not a text; give a link to an "
            "HTML page, a text, Markdown, EPUB or PDF file."
        )
    data = _Body(response, limit, deadline).read(timeout)
    if media_type == "application/octet-stream":
        if data.startswith(b"PK\x03\x04"):
            media_type = "application/epub+zip"
        elif b"%PDF-" in data[:1024]:
            media_type = "application/pdf"
        else:
            raise _refuse(
                "The link leads to a file of unknown type (application/octet-stream), not a "
                "text; give a link to an HTML page, a text, Markdown, EPUB or PDF file."
            )
    filename = _filename(url, response.getheader("Content-Disposition", ""), media_type)
    return Fetched(data, url, filename, media_type, charset)
