"""The permission matrix: every URL pattern of the URL conf and every operation of the API's
schema, requested as each role on the objects of its own world and of the other, gives the
outcome that tests/portal/permission_matrix.csv expects (how to read and extend the table is at
its top). A route or an operation missing from the table fails, and so does a row whose route
is gone.

Unsafe methods run too, each in a savepoint rolled back after the request, with an empty body:
what they show is whether the request passed the permission gate ("allowed": any 2xx, 3xx
other than the sign-in page, or 4xx that refuses the input) or was refused (login, forbidden,
notfound, method). Safe methods are classified more finely (ok, redirect, invalid).

`MATRIX_ACTUAL=/tmp/actual.csv` writes the outcomes measured, in the table's form, to compare
with the table after adding a route: review every new cell before copying it."""

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.portal.permission_world import ROLES, build_world, client_for, totp

TABLE = Path(__file__).with_name("permission_matrix.csv")
SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
COLUMNS = ("route", "method", "objects", "kwargs", "body", *ROLES)
SAFE = {"GET"}
PAGE_METHODS = ("GET", "POST")
OUTCOMES_SAFE = {"ok", "redirect", "invalid", "login", "forbidden", "notfound", "method"}
OUTCOMES_UNSAFE = {"allowed", "login", "forbidden", "notfound", "method"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def url_patterns() -> dict[str, str]:
    """Every leaf pattern of the URL conf, as its full route string → its name ('' if none)."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                yield (
                    prefix + str(pattern.pattern),
                    f"{namespace}:{name}" if namespace and name else name,
                )

    return {"/" + route: name for route, name in walk(get_resolver().url_patterns)}


def schema_path(route: str) -> str:
    """A route as the schema writes its path, parameters unnamed (the schema calls a pk `id`)."""
    return re.sub(r"<(?:\w+:)?\w+>", "{}", route)


def operations() -> dict[str, list[str]]:
    """The schema's operations: path → methods."""
    paths = yaml.safe_load(SCHEMA.read_text())["paths"]
    return {
        re.sub(r"\{\w+\}", "{}", path): sorted(
            m.upper() for m in ops if m in {"get", "post", "put", "patch", "delete"}
        )
        for path, ops in paths.items()
    }


def expected_routes() -> set[tuple[str, str]]:
    """(route, method) pairs the table must hold: the schema's methods for an API operation,
    GET and POST for every other pattern (pages, files, the admin)."""
    ops = operations()
    pairs = set()
    for route in url_patterns():
        methods = ops.get(schema_path(route))
        for method in methods or PAGE_METHODS:
            pairs.add((route, method))
    return pairs


def read_table() -> list[dict[str, str]]:
    lines = [line for line in TABLE.read_text().splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert rows and tuple(rows[0]) == COLUMNS, f"the table's columns are {COLUMNS}"
    return rows


def test_the_table_covers_every_route_and_operation():
    # given the URL conf and the schema
    pairs = expected_routes()
    ops = operations()
    routes = url_patterns()
    # when the table is read
    rows = read_table()
    in_table = {(row["route"], row["method"]) for row in rows}
    # then every route and operation has its row, and every row a route
    missing = sorted(pairs - in_table)
    assert not missing, "routes missing from permission_matrix.csv:\n" + "\n".join(
        f"{route},{method}" for route, method in missing
    )
    stale = sorted(in_table - pairs)
    assert not stale, "rows of permission_matrix.csv whose route is gone:\n" + "\n".join(
        f"{route},{method}" for route, method in stale
    )
    # every operation of the schema is a route of the URL conf
    known = {schema_path(route) for route in routes}
    assert sorted(set(ops) - known) == []
    for row in rows:
        allowed = OUTCOMES_SAFE if row["method"] in SAFE else OUTCOMES_UNSAFE
        wrong = {role: row[role] for role in ROLES if row[role] not in allowed}
        assert not wrong, (row["route"], row["method"], row["objects"], wrong)
        assert row["objects"] in {"-", "own", "other"}, row


def classify(response, method: str) -> str:
    status = response.status_code
    if status in (401,):
        return "login"
    if 300 <= status < 400:
        location = response.get("Location", "")
        login_pages = (settings.LOGIN_URL, reverse("admin:login"), reverse("accounts:login"))
        outcome = "login" if any(location.startswith(page) for page in login_pages) else "redirect"
    else:
        outcome = {403: "forbidden", 404: "notfound", 405: "method"}.get(status)
        if outcome is None:
            if status >= 500:
                return f"error {status}"
            outcome = "ok" if status < 300 else "invalid"
    if method not in SAFE and outcome in {"ok", "redirect", "invalid"}:
        return "allowed"
    return outcome


def admin_object_ids() -> dict[str, str]:
    """admin:<app>_<model>_… → the pk of that model's first row (0 when it has none)."""
    ids = {}
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        ids[f"admin:{model._meta.app_label}_{model._meta.model_name}_"] = str(first or 0)
    return ids


def pairs(text: str, values: dict) -> list[tuple[str, str]]:
    """`a=1;b={case}` → [("a", "1"), ("b", <the case's ref>)]."""

    def placed(part: str) -> str:
        return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), part)

    items = [item.split("=", 1) for item in text.split(";") if item]
    return [(placed(key), placed(value)) for key, value in items]


def body_of(text: str, values: dict) -> dict:
    """The request's fields: `key[]=v` adds `v` to the list `key`."""
    body: dict = {}
    for key, value in pairs(text, values):
        if key.endswith("[]"):
            body.setdefault(key[:-2], []).append(value)
        else:
            body[key] = value
    return body


def fill(route: str, name: str, kwargs: str, values: dict, admin_ids: dict[str, str]) -> str:
    given = dict(pairs(kwargs, values))

    def parameter(match):
        key = match.group(1) or match.group(2)
        if key in given:
            return str(given[key])
        if key in {"object_id", "pk"} and route.startswith("/admin/"):
            app_label, model_name = route.split("/")[2:4]
            return admin_ids.get(f"admin:{app_label}_{model_name}_", "0")
        raise AssertionError(f"{route}: no value for <{key}> in the kwargs column")

    return PARAMETER.sub(parameter, route).replace("^", "").replace("$", "")


def request(client, method: str, url: str, api: bool, body: dict):
    if method in SAFE:
        return client.get(url, body)
    if api:
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


@pytest.mark.django_db
def test_every_cell_gives_the_expected_outcome(django_capture_on_commit_callbacks, settings):
    # given both worlds and a signed-in client per role (sessions in signed cookies: the
    # sessions are not what is tested, and each request saves a query)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    world = build_world(django_capture_on_commit_callbacks)
    clients = {role: client_for(world, role) for role in ROLES}
    cookies = {role: {k: v.value for k, v in c.cookies.items()} for role, c in clients.items()}
    routes = url_patterns()
    api_paths = set(operations())
    admin_ids = admin_object_ids()
    only = re.compile(os.environ.get("MATRIX_ROUTES", ""))  # a regex, to run part of the table
    rows = [row for row in read_table() if row["route"] in routes and only.search(row["route"])]
    # when every cell is requested
    wrong, actual, cells = [], [], 0
    for row in rows:
        route, method = row["route"], row["method"]
        values = world.other if row["objects"] == "other" else world.own
        url = fill(route, routes[route], row["kwargs"], values, admin_ids)
        measured = dict(row)
        for role in ROLES:
            client = clients[role]
            cache.clear()
            body = {}
            if row["body"]:
                code = totp(world, role) if "{totp}" in row["body"] else ""
                body = body_of(row["body"], values | {"totp": code})
            if method in SAFE:
                response = request(client, method, url, False, body)
            else:
                with transaction.atomic():
                    response = request(client, method, url, schema_path(route) in api_paths, body)
                    transaction.set_rollback(True)
            client.cookies.clear()
            for key, value in cookies[role].items():
                client.cookies[key] = value
            outcome = classify(response, method)
            measured[role] = outcome
            cells += 1
            if outcome != row[role]:
                wrong.append(
                    f"{method} {url} ({row['objects']}) as {role}: {outcome}, expected {row[role]}"
                )
        actual.append(measured)
    if os.environ.get("MATRIX_ACTUAL"):
        with open(os.environ["MATRIX_ACTUAL"], "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(actual)
    print(f"permission matrix: {len(rows)} rows, {cells} cells")
    # then each outcome is the table's
    assert not wrong, f"{len(wrong)} of {cells} cells differ from the table:\n" + "\n".join(wrong)
    assert cells == len(rows) * len(ROLES) > 0
