"""Version numbers of cached reads: a write bumps a scope's version, and the keys change.

A cached read puts the versions of the scopes it depends on in its key, so after a bump the next
read misses and counts afresh; the stale entries are never read again and expire. No key has to
be found and deleted, and nothing can be half-dropped.

DATA is the scope every follow-up figure reads: organisations, commitments, goals and plans.
It lives here, in the lowest layer, so that actors and actionplan can bump it without importing
followup; followup keeps a scope per reporting period (`followup.overview.period_scope`).

Writers bump after their transaction commits: bumped before, a read in between would count the
old rows and keep them under the new version.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

DATA = "data"
# Entries under old versions are never read again and expire. The timeout also bounds how long
# a bump lost to a Redis failure can leave a stale entry in use.
ENTRY_TIMEOUT = 15 * 60


def _key(scope: str) -> str:
    return f"cache-version:{scope}"


def _fresh() -> int:
    # A version that no earlier entry can carry, even if Redis lost the counter.
    return time.time_ns()


def current(*scopes: str) -> tuple[int, ...]:
    """The current version of each scope, in one round trip when they exist."""
    keys = [_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
            found[key] = cache.get(key)
    return tuple(found[key] for key in keys)


def _bump_now(scopes: tuple[str, ...]) -> None:
    for scope in scopes:
        try:
            cache.incr(_key(scope))
        except ValueError:  # never read yet, or lost: any fresh version will do
            cache.add(_key(scope), _fresh(), timeout=None)


def bump(*scopes: str) -> None:
    """Make the reads cached under these scopes stale, once the current transaction commits."""
    transaction.on_commit(lambda: _bump_now(scopes), robust=True)


def cached(name: str, scopes: tuple[str, ...], read: Callable[[], T]) -> T:
    """`read()`, kept in the cache until one of the scopes is bumped.

    The cache makes a page faster, never makes it fail: without Redis, it reads every time.
    """
    try:
        key = ":".join([name, *map(str, current(*scopes))])
        value = cache.get(key)
    except RedisError:
        logger.warning("The cache cannot be read; reading %s from the database.", name)
        return read()
    if value is None:
        value = read()
        try:
            cache.set(key, value, timeout=ENTRY_TIMEOUT)
        except RedisError:
            logger.warning("The cache cannot be written; %s is not kept.", name)
    return value


class BumpOnAdminWrite:
    """ModelAdmin mixin for models the admin writes itself, not through a service.

    Every save (the row and its many-to-many fields), and every deletion, bumps the scopes the
    object's data is cached under: `cache_scopes`, or `cache_scopes_of(obj)` where they vary.
    """

    cache_scopes: tuple[str, ...] = (DATA,)

    def cache_scopes_of(self, obj) -> tuple[str, ...]:
        return self.cache_scopes

    def save_related(self, request, form, formsets, change):
        # Called after save_model for every save, once the many-to-many fields are written too.
        super().save_related(request, form, formsets, change)
        bump(*self.cache_scopes_of(form.instance))

    def delete_model(self, request, obj):
        scopes = self.cache_scopes_of(obj)
        super().delete_model(request, obj)
        bump(*scopes)

    def delete_queryset(self, request, queryset):
        scopes = {scope for obj in queryset for scope in self.cache_scopes_of(obj)}
        super().delete_queryset(request, queryset)
        bump(*scopes)
