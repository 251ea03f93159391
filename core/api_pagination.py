"""The API's pagination: ?limit= and ?offset= with a ceiling on every list (DRF's default,
settings.REST_FRAMEWORK), and keyset pages through ?cursor= where a list is long."""

import base64
import binascii
import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Pagination(LimitOffsetPagination):
    """?limit= and ?offset=; a limit above API_MAX_LIMIT is clamped to it (never a database
    error), an offset past the end is an empty page."""

    @property
    def default_limit(self):
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self):
        return settings.API_MAX_LIMIT


class KeysetPagination(Pagination):
    """?limit= and ?offset= as every list, plus ?cursor=: a page that starts after a given row of
    the list's order (newest first: `created_at`, then id), found through the index on
    (created_at, id) — a late page costs what the first one does, where ?offset=N makes the
    database step over N rows. Every page's `next` link is a cursor; cursor pages are not counted
    (`count` is null: counting would read the whole list on every page). `previous` is given on
    offset pages only. A cursor that cannot be read is a 400 with the reason."""

    cursor_query_param = "cursor"
    cursor_query_description = _("上一页 next 链接中的分页游标（按时间倒序，从该游标之后开始）。")
    ordering = ("-created_at", "-pk")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor = request.query_params.get(self.cursor_query_param)
        if self.cursor is None:
            rows = super().paginate_queryset(queryset, request, view)
            self.more = rows is not None and self.offset + self.limit < self.count
            self.last = rows[-1] if rows else None
            return rows
        self.limit = self.get_limit(request)
        created_at, pk = self.decode_cursor(self.cursor)
        after = Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        rows = list(queryset.filter(after).order_by(*self.ordering)[: self.limit + 1])
        self.count, self.offset = None, None
        self.more, rows = len(rows) > self.limit, rows[: self.limit]
        self.last = rows[-1] if rows else None
        return rows

    def decode_cursor(self, cursor):
        try:
            raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4)).decode()
            stamp, pk = raw.split("|")
            created_at = datetime.datetime.fromisoformat(stamp)
            if created_at.tzinfo is None:
                raise ValueError
            return created_at, int(pk)
        except (ValueError, UnicodeError, binascii.Error):
            raise ValidationError(
                {self.cursor_query_param: [_("分页游标无效，请使用上一页返回的 next 链接。")]}
            ) from None

    def encode_cursor(self, row) -> str:
        raw = f"{row.created_at.isoformat()}|{row.pk}"
        return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")

    def get_next_link(self):
        if not self.more or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.limit_query_param, self.limit)
        url = remove_query_param(url, self.offset_query_param)
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(self.last))

    def get_previous_link(self):
        return None if self.cursor is not None else super().get_previous_link()

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": "null on cursor pages (?cursor=)",
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            },
        ]
