"""Hostile input and faults (issue 16): each case failed on the main branch before its fix.

Real server on 127.0.0.1, real readers, real store.
"""

import base64

import httpx
import pytest

LIST_ROUTES = ["/api/articles", "/api/entities", "/api/quotes", "/api/counts", "/api/events", "/api/places",
               "/api/stories", "/", "/search", "/stories"]


@pytest.fixture(scope="module")
def api(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as client:
        yield client


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_a_cursor_past_any_real_offset_is_a_400_not_a_500(api, route):
    r = api.get(route, params={"cursor": _cursor(2**63)})
    assert r.status_code == 400 and "cursor" in r.text
    assert api.get("/api/health").status_code == 200  # the connection and the server are fine


@pytest.mark.parametrize("route, param", [("/api/quotes", "speaker"), ("/api/entities", "name"),
                                          ("/api/articles", "source"), ("/search", "person"),
                                          ("/api/counts", "object")])
def test_a_huge_filter_is_refused_with_a_clear_message(api, route, param):
    r = api.get(route, params={param: "a_" * 26_000})  # 52,000 characters: over SQLite's LIKE pattern limit
    assert r.status_code == 400 and param in r.json()["detail"] and "longer than" in r.json()["detail"]
    assert r.headers["content-security-policy"]


def test_a_non_ascii_token_is_refused_not_a_crash(api):
    r = api.post("/api/articles", json={"text": "Hello."},
                 headers={"Authorization": "Bearer t\u00e9st-token".encode()})  # raw UTF-8 bytes on the wire
    assert r.status_code == 401


def test_a_token_without_the_bearer_scheme_is_refused(api):
    assert api.post("/api/articles", json={"text": "Hello."},
                    headers={"Authorization": "test-token"}).status_code == 401


def test_an_unexpected_error_answers_500_with_the_security_headers():
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    app = create_app("sqlite://")

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/boom")
    assert r.status_code == 500 and "a bug" not in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
