"""Serve the built site on loopback, compressed the way real static hosts do.

    python scripts/serve.py [--port 8000] [--directory _build/html]

Text assets (HTML, JS, CSS, SVG, JSON) are sent gzip-compressed to clients that
accept it, so the transfer sizes a browser sees here match those of a deployed
site. Also used by the browser tests.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import threading
from pathlib import Path

COMPRESSIBLE = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".xml"}


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus gzip for text assets; quiet by default.

    It serves only files whose resolved path lies inside the site: a symbolic
    link that leads out of it is answered 404, like a missing file. A path the
    file system cannot even look up (a segment longer than the system allows,
    an embedded NUL byte) is answered 400 instead of closing the connection.
    """

    cache: dict = {}

    def log_message(self, *args):
        pass

    def _inside_site(self, path: Path) -> bool:
        root = Path(self.directory).resolve()
        return path.resolve().is_relative_to(root)

    def send_head(self):
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            inside = self._inside_site(path)
            exists = path.exists()
        except (OSError, ValueError):  # ENAMETOOLONG, embedded NUL, ...
            self.send_error(400, "Malformed path")
            return None
        if not inside:
            self.send_error(404, "File not found")
            return None
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and exists and path.is_file()):
            return super().send_head()
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns)
        body = self.cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading server with a listen backlog for a page's burst of requests
    (the standard library's default of 5 makes the 6th connection wait)."""

    request_queue_size = 256
    daemon_threads = True


class _Body:
    """A file-like wrapper so SimpleHTTPRequestHandler.copyfile can send bytes."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def start(directory: str, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Start serving ``directory`` on 127.0.0.1 in a daemon thread; return the server."""
    handler = functools.partial(CompressingHandler, directory=os.fspath(directory))
    server = SiteServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", default="_build/html")
    args = parser.parse_args()
    handler = functools.partial(CompressingHandler, directory=args.directory)
    with SiteServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {args.directory} on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
