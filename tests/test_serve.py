"""scripts/serve.py serves the site and nothing else, answers every request,
and keeps up with a page's burst of connections. All traffic is on loopback."""
import gzip
import http.client
import socket
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import serve  # noqa: E402

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve") / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text("<p>home</p>" * 50)
    (root / "sub" / "page.html").write_text("<p>page</p>")
    (root / "image.png").write_bytes(b"\x89PNG not really")
    secret = root.parent / "secret.txt"
    secret.write_text("outside the site")
    (root / "leak.txt").symlink_to(secret)
    (root / "inner.html").symlink_to(root / "sub" / "page.html")
    server = serve.start(root)
    yield server.server_port
    server.shutdown()
    server.server_close()


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("Content-Encoding"), body


def test_pages_are_served_and_text_is_compressed(site):
    status, encoding, body = get(site, "/", {"Accept-Encoding": "gzip"})
    assert (status, encoding) == (200, "gzip")
    assert gzip.decompress(body) == b"<p>home</p>" * 50
    assert get(site, "/sub/page.html")[::2] == (200, b"<p>page</p>")
    assert get(site, "/image.png")[0] == 200


def test_a_link_inside_the_site_is_served(site):
    assert get(site, "/inner.html")[::2] == (200, b"<p>page</p>")


@pytest.mark.parametrize("gzip_ok", [False, True])
def test_a_link_out_of_the_site_is_not_followed(site, gzip_ok):
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    status, _, body = get(site, "/leak.txt", headers)
    assert status == 404
    assert b"outside the site" not in body


@pytest.mark.parametrize("path", ["/../secret.txt", "/sub/../../secret.txt",
                                  "/%2e%2e/secret.txt"])
def test_traversal_stays_inside(site, path):
    status, _, body = get(site, path)
    assert status == 404 and b"outside the site" not in body


@pytest.mark.parametrize("path", ["/" + "a" * 300 + ".html", "/x%00.html",
                                  "/sub/%00", "/" + "b" * 300 + "/index.html"])
def test_malformed_paths_get_an_answer(site, path):
    status, _, _ = get(site, path, {"Accept-Encoding": "gzip"})
    assert status in (400, 404)


@pytest.mark.slow
def test_a_burst_of_connections_is_queued_not_refused(site):
    # 200 clients connect at once before any request is read: with the
    # standard backlog of 5 most of them would wait for a SYN retry.
    assert serve.SiteServer.request_queue_size >= 200
    socks = [socket.create_connection(("127.0.0.1", site), timeout=10)
             for _ in range(200)]
    answers = []

    def ask(sock):
        sock.sendall(b"GET /sub/page.html HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        answers.append(data.split(b"\r\n", 1)[0])
        sock.close()

    threads = [threading.Thread(target=ask, args=(s,)) for s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(answers) == 200
    assert set(answers) == {b"HTTP/1.0 200 OK"}
