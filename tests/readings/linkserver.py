"""A local web server for the link tests: pages, files, redirects, slow and hostile answers.

Routes are (status, headers, body, delay) by path; a body may be a callable streaming
chunks (sent without a length, ended by closing the connection, as HTTP/1.0 does). The
server listens on 127.0.0.1 on a free port, in a thread, for one test.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Callable[[], Iterator[bytes]] = b""
    delay: float = 0.0


class LinkServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hosts: list[str] = []  # the Host header of every request
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                server.hosts.append(self.headers.get("Host", ""))
                route = server.routes.get(self.path.split("?")[0], Route(404, body=b"nope"))
                time.sleep(route.delay)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if callable(route.body):  # no length: the body ends when the server closes
                    self.end_headers()
                    try:
                        for chunk in route.body():
                            self.wfile.write(chunk)
                            self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> LinkServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@functools.cache
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of one letter, gzipped (a few tens of kilobytes)."""
    return gzip.compress(b"a" * (megabytes * 1024 * 1024), compresslevel=6)
