"""Fetching URLs safely: timeouts, a size cap, limited redirects, a clear user agent,
conditional GET, and an SSRF guard.

The guard resolves every host (on the first request and after each redirect)
and refuses loopback, private, link-local, multicast and reserved addresses
unless the policy allows private addresses or names that exact host:port.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from newsgraph import __version__
from newsgraph.errors import FetchError
from newsgraph.readers.decoding import DEFAULT_MAX_BYTES

USER_AGENT = f"newsgraph/{__version__} (+https://github.com/newsgraph/newsgraph; news research crawler)"


REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    allow_hosts: frozenset[str] = field(default_factory=frozenset)  # "host:port" allowed even if private
    timeout: float = float(os.environ.get("NEWSGRAPH_TIMEOUT", 20))  # per connect and per read
    # in all, redirects and the whole body included: a server sending one byte every few seconds
    # never trips the per-read timeout
    deadline: float = float(os.environ.get("NEWSGRAPH_DEADLINE", 60))
    max_bytes: int = int(os.environ.get("NEWSGRAPH_MAX_BYTES", DEFAULT_MAX_BYTES))
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    content: bytes | None  # None for 304 Not Modified
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


# IPv6 prefixes whose last 32 bits are an IPv4 address a packet may end up at
IPV4_CARRIERS = tuple(ipaddress.ip_network(n) for n in (
    "::ffff:0:0/96",  # IPv4-mapped
    "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
    "64:ff9b::/96",  # NAT64
    "64:ff9b:1::/48",  # local-use NAT64
    "::/96",  # IPv4-compatible (deprecated)
))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, NAT64, 6to4, Teredo or IPv4-compatible."""
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in net for net in IPV4_CARRIERS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally routable unicast address, judged also by any IPv4 address it wraps."""
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:
            return False
        inner = embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
    return True


def check_url(url: str, policy: FetchPolicy) -> str | None:
    """Refuse URLs that are not http(s) or that resolve to a non-public address. Returns the address
    checked, to connect to (None where the policy allows the host unchecked)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if policy.allow_private or f"{parts.hostname}:{port}" in policy.allow_hosts:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {parts.hostname!r}: {exc.strerror}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for ip in addresses:
        if not is_public(ip):
            raise FetchError(
                f"refused: {parts.hostname} resolves to the non-public address {ip} "
                "(pass --allow-private to fetch from private networks)")
    return str(addresses[0]) if addresses else None


def pinned(url: str, address: str | None) -> tuple[str, dict[str, str], dict]:
    """The request that connects to the checked address, not to whatever the name resolves to next:
    the URL with the address as host, the Host header and the TLS name of the original."""
    if address is None:
        return url, {}, {}
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal + (f":{parts.port}" if parts.port else "")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return parts._replace(netloc=netloc).geturl(), {"Host": host}, extensions


def fetch(url: str, policy: FetchPolicy, client: httpx.Client | None = None,
          etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET a URL under the policy, following at most max_redirects redirects, each one checked."""
    own = client is None
    client = client or new_client(policy)
    ends = time.monotonic() + max(policy.deadline, policy.timeout)
    try:
        for _ in range(policy.max_redirects + 1):
            target, headers, extensions = pinned(url, check_url(url, policy))
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                    if response.status_code in REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {response.status_code} redirect without a Location")
                        url = urljoin(url, location)
                        continue
                    return _read(response, url, policy, ends)
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {policy.timeout:g} s: {url}") from None
            except httpx.TransportError as exc:
                raise FetchError(f"cannot connect to {url}: {exc}") from None
        raise FetchError(f"too many redirects (more than {policy.max_redirects}) from {url}")
    finally:
        if own:
            client.close()


def new_client(policy: FetchPolicy) -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=httpx.Timeout(policy.timeout),
                        headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"})


def _read(response: httpx.Response, url: str, policy: FetchPolicy, ends: float = float("inf")) -> Fetched:
    meta = dict(url=url, status=response.status_code, content_type=response.headers.get("content-type", ""),
                etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
    if response.status_code == 304:
        return Fetched(content=None, **meta)
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}: {url}")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"refused: {url} is {int(declared) / 1_048_576:.0f} MB, over the "
                         f"{policy.max_bytes / 1_048_576:.0f} MB limit")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        if time.monotonic() > ends:
            raise FetchError(f"took longer than {max(policy.deadline, policy.timeout):g} s in all "
                             f"(NEWSGRAPH_DEADLINE): {url}")
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"refused: {url} is larger than the {policy.max_bytes / 1_048_576:.0f} MB limit")
        chunks.append(chunk)
    return Fetched(content=b"".join(chunks), **meta)


def read_url(url: str, policy: FetchPolicy, client: httpx.Client | None = None, **overrides: str | None):
    """An article from a web page (a reader: yields the Article)."""
    from newsgraph.readers.html import parse_html

    page = fetch(url, policy, client)
    kind = page.content_type.split(";")[0].strip().lower()
    if kind and kind not in ("text/html", "application/xhtml+xml", "text/plain", ""):
        raise FetchError(f"not a web page ({kind}): {url}")
    assert page.content is not None
    overrides = {k: v for k, v in overrides.items() if k != "url"}
    yield parse_html(page.content, url=page.url, **overrides)
