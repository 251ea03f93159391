"""core.pagination.DeferredJoinPaginator: Django's get_page contract (a bad number is the first
page, one past the end the last), the list counted beside the page's ids, two queries a page."""

import pytest

from core.pagination import DeferredJoinPaginator
from reference.models import County

pytestmark = pytest.mark.django_db


def counties():
    return County.objects.order_by("code")


def test_a_page_is_its_ids_in_order_and_the_count_comes_with_them(django_assert_num_queries):
    codes = list(counties().values_list("code", flat=True))
    with django_assert_num_queries(2):  # the ids with the count beside them, then the rows
        page = DeferredJoinPaginator(counties(), 7).get_page(2)
        assert [c.code for c in page.object_list] == codes[7:14]
        assert page.paginator.count == len(codes)
        assert page.paginator.num_pages == (len(codes) + 6) // 7


@pytest.mark.parametrize("asked", ["abc", "", None, "-3", "0"])
def test_a_bad_page_number_is_the_first_page(asked):
    page = DeferredJoinPaginator(counties(), 7).get_page(asked)
    assert page.number == 1 and page.object_list[0].code == counties()[0].code


def test_a_page_past_the_end_is_the_last_page(django_assert_max_num_queries):
    total = counties().count()
    with django_assert_max_num_queries(4):  # nothing there, the count, the last page's ids, rows
        page = DeferredJoinPaginator(counties(), 7).get_page(999)
    assert page.number == (total + 6) // 7
    assert len(page.object_list) == total - 7 * (page.number - 1)


def test_an_empty_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):  # page 1 empty: the list is empty, nothing to count
        page = DeferredJoinPaginator(counties().filter(code="x"), 7).get_page(1)
        assert page.paginator.count == 0 and list(page.object_list) == [] and page.paginator.num_pages == 1
    assert DeferredJoinPaginator(counties().filter(code="x"), 7).get_page(5).number == 1


def test_the_rows_can_come_from_another_query_of_the_same_ids():
    """A list whose filters are costly to run again (a search) fetches its page's rows by id."""
    asked = []

    def rows(ids):
        asked.append(list(ids))
        return County.objects.filter(pk__in=ids)

    page = DeferredJoinPaginator(counties().filter(name__contains="区"), 5, rows=rows).get_page(1)
    assert asked == [[c.code for c in page.object_list]]
    assert all("区" in c.name for c in page.object_list)
