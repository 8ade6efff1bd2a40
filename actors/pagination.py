"""Paging that stays cheap on big tables."""


class KeysFirstPaginationMixin:
    """For a ListView: find the page's primary keys first, then load only those rows.

    The query that orders and slices the whole table then carries no joins for what the page
    shows, so PostgreSQL sorts narrow rows (or walks an index) and plans it quickly; `page_rows`
    loads the page's rows with their relations by key.
    """

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
