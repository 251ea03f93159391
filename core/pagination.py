"""Paging long lists in two steps, so a page costs the same whatever the list's length."""

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property


class DeferredJoinPaginator(Paginator):
    """A Paginator over a queryset that fetches a page in two steps: first the page's ids in the
    list's order (a narrow query: only the columns the filter and the sort need), then those rows
    with everything the page shows (the joins and per-row subqueries run for one page's rows, not
    for every row the sort had to look at).

    The list is counted in the first step (`COUNT(*) OVER ()` beside the ids: the rows the sort
    reads anyway, read once); a separate count runs only when the page asked for lies beyond the
    list's end. Two queries a page, whatever the size of the list.

    `rows` (ids → queryset) fetches the page's rows when the list's own filters are costly to
    run again (a search): it must narrow to what the list's gate allows, like the list."""

    def __init__(self, object_list, per_page, *, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows or (lambda ids: self.object_list.filter(pk__in=ids).order_by())

    @cached_property
    def count(self):
        # Only when the ids query returned nothing (an empty list, or a page past the end).
        # Counted over the narrow query too: a list grouped for an aggregate (a queue's decided
        # tabs) would otherwise be grouped by every column the page shows before being counted.
        return self.object_list.values_list("pk", flat=True).count()

    def get_page(self, number):
        """Django's get_page (a bad number is the first page, one past the end the last), with
        the count known from the page's own query."""
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        ids = self._ids(number)
        if not ids and number > 1:
            number = self.num_pages  # past the end: the last page (counted separately)
            ids = self._ids(number) if self.count else []
        return self._fetch(ids, number)

    def page(self, number):
        number = self.validate_number(number)
        return self._fetch(self._ids(number), number)

    def _ids(self, number) -> list:
        bottom = (number - 1) * self.per_page
        narrow = self.object_list.annotate(_total=Window(Count("*"))).values_list("pk", "_total")
        found = list(narrow[bottom : bottom + self.per_page])
        if found:
            self.__dict__["count"] = found[0][1]
        elif number == 1:
            self.__dict__["count"] = 0  # nothing on the first page: nothing at all
        return [pk for pk, _total in found]

    def _fetch(self, ids, number):
        rows = {row.pk: row for row in self.rows(ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
