"""Text the database cannot store (NUL, lone surrogates) is refused with a clear 400 on every
route, in query parameters, form fields and JSON bodies: never a server error."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

NUL = "\x00"
SAMPLE_ARGS = {
    "open311fmt": "json",
    "int": "1",
    "str": "SQ-2026-000001",
    "slug": "demo",
    "uuid": "0" * 32,
    "path": "x",
}


def every_route() -> list[str]:
    """A concrete path for each URL pattern of the portal (admin and static files aside)."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                paths.append(route)

    walk(get_resolver().url_patterns, "/")
    concrete = set()
    for route in paths:
        if route.startswith(("/admin/", "/^", "/static/", "/media/")) or "(?P" in route:
            continue
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS[m.group(1) or "str"], route)
        concrete.add(route.replace("^", "").replace("$", ""))
    return sorted(concrete)


ROUTES = every_route()


def test_the_route_scan_covers_the_portal():
    assert len(ROUTES) > 100
    assert "/services/" in ROUTES and "/api/v1/services/" in ROUTES


@pytest.mark.parametrize("path", ["/services/", "/api/v1/services/", "/open311/v2/requests.json"])
@pytest.mark.parametrize("query", [{"q": NUL}, {"department": NUL}, {NUL: "1"}])
def test_the_reported_searches_answer_400(client, path, query):
    response = client.get(path, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cannot be stored" in response.content.decode()


def test_the_refusal_speaks_the_pages_language_and_the_apis_shape(client):
    page = client.get("/services/", {"q": NUL})
    assert page.content.decode() == "请求中含有无法保存的字符，请删除后重试。"
    api = client.post(
        "/api/v1/complaints/",
        '{"description": "路灯\\ud800不亮"}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 400
    assert api.json()["code"] == "invalid_characters"
    open311 = client.post("/open311/v2/requests.json", {"description": f"a{NUL}b"})
    assert open311.status_code == 400 and open311.json()[0]["code"] == 400


@pytest.mark.parametrize("who", ["anonymous", "resident", "clerk"])
def test_no_route_fails_on_unstorable_text(who, request, login, client):
    browser = client if who == "anonymous" else login(request.getfixturevalue(who))
    failures = []
    for path in ROUTES:
        for response in (
            browser.get(path, {"q": NUL, "page": NUL}),
            browser.post(path, {"text": NUL, "description": f"x{NUL}y"}),
            browser.post(
                path, f'{{"note": "x\\u0000", "n{NUL}": 1}}', content_type="application/json"
            ),
        ):
            if response.status_code != 400:
                failures.append((path, response.request["REQUEST_METHOD"], response.status_code))
    assert failures == []


def test_ordinary_text_passes(client):
    assert client.get("/services/", {"q": "户口 \\u0000 ok"}).status_code == 200
