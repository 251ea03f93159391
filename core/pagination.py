"""Paging long lists in two steps, so a page costs the same whatever the list's length."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """A Paginator over a queryset that fetches a page in two steps: first the page's ids in the
    list's order (a narrow query: only the columns the filter and the sort need), then those rows
    with everything the page shows (the joins and per-row subqueries run for one page's rows, not
    for every row the sort had to look at). One query more than Django's Paginator, whatever the
    size of the list."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
