"""Generate WARC files for tests and benches: HTML responses from the fixtures, plus records
that are not articles (images, 404s, requests) and, optionally, a truncated last record."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from localserver import article_page

FIXTURES = Path(__file__).parent / "fixtures"


def write_warc(path: Path, records: int, gzip: bool = True, truncate_last: bool = False) -> dict[str, int]:
    """Write ``records`` records; every 5th is an image, every 7th a 404, every 11th a request record.
    Returns how many of each kind were written."""
    articles = [json.loads(line) for line in (FIXTURES / "wikinews.jsonl").read_text().splitlines()]
    kinds = {"html": 0, "image": 0, "404": 0, "request": 0}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for i in range(records):
            url = f"https://news.example/{i}/story.html"
            if i % 11 == 10:
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
                rec = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
                kinds["request"] += 1
            elif i % 7 == 6:
                http = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=io.BytesIO(b"<p>gone</p>"),
                                                http_headers=http)
                kinds["404"] += 1
            elif i % 5 == 4:
                http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=io.BytesIO(b"\x89PNG\r\n" + bytes(500)),
                                                http_headers=http)
                kinds["image"] += 1
            else:
                a = dict(articles[i % len(articles)])
                a["text"] = f"Dispatch {i}. " + a["text"]  # every page its own article
                body = article_page(i, a, url)
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                        protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
                kinds["html"] += 1
            writer.write_record(rec)
    if truncate_last:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 300])
    return kinds
