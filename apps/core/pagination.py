"""Keyset ("seek") pagination for every list: a page is the next `size` rows after the last one
shown, in a fixed order ending with the primary key, so the database walks an index from the
cursor instead of skipping OFFSET rows, and no page counts the whole table.

- `seek_page(queryset, keys=..., cursor=..., size=...)` for services and pages;
- `seek_page_for_request(request, queryset, keys=..., param=...)` for HTML lists, whose
  template includes `includes/seek_pager.html` (previous / next links carrying the cursor);
- `SeekPagination(keys=...)` for the APIs: `{"next", "previous", "results"}`.

A cursor is the sort key of the row it starts after, base64-encoded JSON; a cursor that does not
parse is the first page (it only ever narrows a list the person may already see)."""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, OrderBy, Q, QuerySet
from django.http import HttpRequest, QueryDict
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .api import query_whole_number

M = TypeVar("M", bound=Model)

PAGE_SIZE = 25
API_PAGE_SIZE = 50
MAX_API_PAGE_SIZE = 200


@dataclass(frozen=True)
class SeekKey:
    """One column of a list's order. `nullable` keys sort their NULLs last either way."""

    field: str
    descending: bool = False
    nullable: bool = False

    def order(self, *, reverse: bool = False) -> OrderBy:
        descending = self.descending != reverse
        expression = F(self.field)
        if not self.nullable:
            return expression.desc() if descending else expression.asc()
        # Forward: NULLs last; reversed (a previous page read backwards): NULLs first.
        method = expression.desc if descending else expression.asc
        return method(nulls_first=True) if reverse else method(nulls_last=True)


def seek_order(keys: Sequence[SeekKey]) -> list[OrderBy]:
    """The list's `order_by` for these keys (forward)."""
    return [key.order() for key in keys]


def _beyond(key: SeekKey, value: Any, *, backwards: bool) -> Q:
    """Rows strictly after (`backwards`: before) `value` in the forward order of `key`."""
    name = key.field
    if value is None:
        # NULLs are last: nothing comes after them; every non-NULL comes before.
        return Q(**{f"{name}__isnull": False}) if backwards else Q(pk__in=[])
    later = "lt" if key.descending != backwards else "gt"
    condition = Q(**{f"{name}__{later}": value})
    if key.nullable and not backwards:
        condition |= Q(**{f"{name}__isnull": True})
    return condition


def _equal(key: SeekKey, value: Any) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def _seek_filter(keys: Sequence[SeekKey], values: Sequence[Any], *, backwards: bool) -> Q:
    """(k1 beyond v1) OR (k1 = v1 AND (k2 beyond v2 OR (...))), plus a plain bound on the first
    non-NULL key so that the index walk starts at the cursor."""
    condition = _beyond(keys[-1], values[-1], backwards=backwards)
    for key, value in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        condition = _beyond(key, value, backwards=backwards) | (_equal(key, value) & condition)
    first, value = keys[0], values[0]
    if value is not None and not (first.nullable and not backwards):
        bound = "lte" if first.descending != backwards else "gte"
        condition &= Q(**{f"{first.field}__{bound}": value})
    return condition


def _value_of(obj: Model, key: SeekKey) -> Any:
    value: Any = obj
    for part in key.field.split("__"):
        value = getattr(value, part)
    return value


def _field_for(model: type[Model], name: str) -> Any:
    opts = model._meta
    target: Any = opts.pk if name == "pk" else None
    for part in name.split("__"):
        if target is not None and part == "pk":
            break
        target = opts.get_field(part)
        if target.is_relation and target.related_model is not None:
            opts = target.related_model._meta
    return target


def encode_cursor(values: Sequence[Any], *, backwards: bool = False) -> str:
    raw = json.dumps(
        {"v": [None if v is None else str(v) for v in values], "b": int(backwards)},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str, *, model: type[Model], keys: Sequence[SeekKey]
) -> tuple[list[Any], bool] | None:
    """The key values and direction of a cursor, or None for one that does not parse."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        raw = data["v"]
        if not isinstance(raw, list) or len(raw) != len(keys):
            return None
        values = [
            None if value is None else _field_for(model, key.field).to_python(value)
            for key, value in zip(keys, raw, strict=True)
        ]
        return values, bool(data.get("b"))
    except (ValueError, TypeError, KeyError, binascii.Error, ValidationError, AttributeError):
        return None


@dataclass
class SeekPage(Generic[M]):
    """One page: its rows and the cursors of the pages before and after it (None: none)."""

    items: list[M]
    next_cursor: str | None = None
    previous_cursor: str | None = None
    param: str = "cursor"
    query: QueryDict = field(default_factory=QueryDict)

    def __iter__(self) -> Iterator[M]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def _link(self, cursor: str | None) -> str:
        query = self.query.copy()
        query[self.param] = cursor or ""
        return "?" + query.urlencode()

    @property
    def next_url(self) -> str:
        """The next page's link: this page's query with the cursor replaced."""
        return self._link(self.next_cursor)

    @property
    def previous_url(self) -> str:
        return self._link(self.previous_cursor)


def seek_page(
    queryset: QuerySet[M],
    *,
    keys: Sequence[SeekKey],
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    param: str = "cursor",
) -> SeekPage[M]:
    """The page of `queryset` (in the order of `keys`, the last one unique) after `cursor`:
    one query of `size + 1` rows, no count."""
    decoded = decode_cursor(cursor, model=queryset.model, keys=keys) if cursor else None
    backwards = decoded is not None and decoded[1]
    rows = queryset.order_by(*[key.order(reverse=backwards) for key in keys])
    if decoded is not None:
        rows = rows.filter(_seek_filter(keys, decoded[0], backwards=backwards))
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    if backwards:
        items.reverse()
    page: SeekPage[M] = SeekPage(items=items, param=param)
    if not items:
        return page
    first = [_value_of(items[0], key) for key in keys]
    last = [_value_of(items[-1], key) for key in keys]
    if backwards:
        page.next_cursor = encode_cursor(last)
        page.previous_cursor = encode_cursor(first, backwards=True) if more else None
    else:
        page.next_cursor = encode_cursor(last) if more else None
        page.previous_cursor = encode_cursor(first, backwards=True) if decoded else None
    return page


def seek_page_for_request(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    keys: Sequence[SeekKey],
    param: str = "cursor",
    size: int = PAGE_SIZE,
) -> SeekPage[M]:
    """The page an HTML list asks for with `?<param>=<cursor>`."""
    page = seek_page(queryset, keys=keys, cursor=request.GET.get(param), size=size, param=param)
    page.query = request.GET
    return page


class SeekPagination(BasePagination):
    """DRF pagination over `seek_page`: `?cursor=` and `?page_size=` (at most 200, or the list's
    own `max_page_size`); the answer is `{"next": url or null, "previous": url or null,
    "results": [...]}`, with no count."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def __init__(
        self,
        *,
        keys: Sequence[SeekKey],
        page_size: int = API_PAGE_SIZE,
        max_page_size: int = MAX_API_PAGE_SIZE,
    ) -> None:
        self.keys = keys
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.page: SeekPage[Any] | None = None
        self.request: Request | None = None

    def _size(self, request: Request) -> int:
        # `page_size=null` or `-3` is refused (400), not read as the default: the schema says
        # a whole number from 1 to 200.
        size = query_whole_number(request, self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the `next` or `previous` link's cursor.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, at most {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.page = seek_page(
            queryset,
            keys=self.keys,
            cursor=request.query_params.get(self.cursor_query_param),
            size=self._size(request),
        )
        return self.page.items

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "next": self._link(page.next_cursor if page else None),
                "previous": self._link(page.previous_cursor if page else None),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
