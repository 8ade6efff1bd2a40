"""The portal's own settings (production when DJANGO_DEBUG is off), plus what the web benchmark
measures on the server side: the SQL queries of each request, in a response header, and a trivial
page behind the same middleware as the ceiling. Used only by scripts/benchmark.sh.
"""

from kvinnofrid.settings import *  # noqa: F403
from kvinnofrid.settings import MIDDLEWARE

# Outermost, so that the queries of every other middleware (session, user, …) count too.
MIDDLEWARE = ["benchmarks.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "benchmarks.urls"
