"""Paging that stays cheap on big tables, and the links of a paginated list."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from django.urls import reverse


class KeysWithTotalPaginator(Paginator):
    """Reads a page's keys and the total number of rows in one query.

    `object_list` is a queryset of the rows' primary keys. Django's Paginator counts first and
    slices after, so a filter that has to look at every row (a search in the commitments' texts)
    runs twice; here the total comes with the page, from a window count over the same scan.
    """

    LARGEST_PAGE = 1_000_000

    def page(self, number):
        number = self.validate_number_without_count(number)
        if number > self.LARGEST_PAGE:
            # Past the end of any list here, and of what the database takes as an OFFSET.
            number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(kvinnofrid_total=Window(Count("pk"))).values_list(
                "pk", "kvinnofrid_total"
            )[bottom : bottom + self.per_page]
        )
        if rows:
            self.count = rows[0][1]  # Paginator.count is a cached_property: set, not counted
        # No rows: past the end or an empty list, which the usual checks (one count) tell apart.
        number = self.validate_number(number)
        return self._get_page([key for key, _total in rows], number, self)

    def validate_number_without_count(self, number) -> int:
        """Django's checks of a page number but the last one (not past the end), which needs
        the count."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


class KeysFirstPaginationMixin:
    """For a ListView: find the page's primary keys (and the total) first, then load only those
    rows.

    The query that orders and slices the whole table then carries no joins for what the page
    shows, so PostgreSQL sorts narrow rows (or walks an index) and plans it quickly; `page_rows`
    loads the page's rows with their relations by key.
    """

    paginator_class = KeysWithTotalPaginator

    def page_rows(self, keys: list) -> dict:
        """The rows with these keys, by key."""
        raise NotImplementedError

    def paginate_queryset(self, queryset, page_size):
        paginator, page, keys, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        keys = list(keys)
        rows = self.page_rows(keys)
        page.object_list = [rows[key] for key in keys if key in rows]
        return paginator, page, page.object_list, is_paginated


def query_without(request, name: str = "page") -> str:
    """The list's query string without one parameter (its page number), for the page links."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


def export_links(request, url_name: str) -> list[tuple[str, str]]:
    """(format's name, URL) of a list's downloads, with the list's filters and search."""
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for name, export_format in (("CSV", "csv"), ("Excel", "xlsx")):
        query["format"] = export_format
        links.append((name, f"{reverse(url_name)}?{query.urlencode()}"))
    return links
