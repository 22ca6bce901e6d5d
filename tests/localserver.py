"""A real HTTP server on 127.0.0.1 for tests: feeds, pages, broken and hostile responses."""

from __future__ import annotations

import html
import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><link>http://example.org/</link></item></channel></rss>"""


def article_page(n: int, article: dict, url: str) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n\n"))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(article['title'])}</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="Wikinews">
<meta property="article:published_time" content="{article['published']}T12:00:00Z">
</head><body><nav><a href="/">Home</a></nav><article><h1>{html.escape(article['title'])}</h1>
{paras}</article><footer>{html.escape(article['attribution'])}</footer></body></html>""".encode()


class Site:
    """What the server serves, and what it saw (paths and request headers)."""

    def __init__(self) -> None:
        self.articles = [json.loads(line) for line in (FIXTURES / "wikinews.jsonl").read_text().splitlines()]
        self.requests: list[tuple[str, dict]] = []
        self.feed_etag = '"feed-v1"'
        self.feed_modified = formatdate(1_700_000_000, usegmt=True)
        self.base = ""

    def feed(self, links: list[str]) -> bytes:
        items = "".join(
            f"<item><title>Item {i}</title><link>{link}</link>"
            f"<pubDate>{formatdate(1_600_000_000 + i * 86400, usegmt=True)}</pubDate></item>"
            for i, link in enumerate(links))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>'
                f"<link>{self.base}/</link>{items}</channel></rss>").encode()

    def feed_links(self) -> list[str]:
        good = [f"{self.base}/a/{i}.html" for i in range(17)]
        return good + [f"{self.base}/broken/404", f"{self.base}/broken/slow", f"{self.base}/broken/garbage"]


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.requests.append((self.path, dict(self.headers)))
            path = self.path
            if path == "/feed.xml":
                if self.headers.get("If-None-Match") == site.feed_etag:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send(200, site.feed(site.feed_links()), "application/rss+xml", ETag=site.feed_etag,
                          Last_Modified=site.feed_modified)
            elif path.startswith("/a/"):
                n = int(path.split("/")[-1].split(".")[0])
                self.send(200, article_page(n, site.articles[n], site.base + path))
            elif path == "/broken/404":
                self.send(404, b"<html><body>Not found</body></html>")
            elif path == "/broken/slow":
                time.sleep(4)
                self.send(200, b"<html><body>too late</body></html>")
            elif path == "/broken/trickle":  # one byte at a time, never slow enough for a read timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                try:
                    for _ in range(100):
                        self.wfile.write(b"<")
                        self.wfile.flush()
                        time.sleep(0.5)
                except (BrokenPipeError, ConnectionResetError):
                    return
            elif path == "/broken/garbage":
                self.send(200, bytes(range(256)) * 40)
            elif path == "/bomb.xml":
                self.send(200, BOMB, "application/rss+xml")
            elif path == "/redirect-local":
                port = self.server.server_address[1]
                self.send(302, b"", Location=f"http://localhost:{port}/a/1.html")
            elif path in ("/huge.html", "/huge-declared.html"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                if path == "/huge-declared.html":
                    self.send_header("Content-Length", str(200 * 1024 * 1024))
                else:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"word " * 20_000 + b"</p>"
                try:
                    for _ in range(2_000):  # up to 200 MB, stops when the client hangs up
                        if path == "/huge.html":
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        else:
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return
            else:
                self.send(404, b"no such page")

    return Handler


class LocalServer:
    def __init__(self) -> None:
        self.site = Site()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.site))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.site.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.site.base + path
