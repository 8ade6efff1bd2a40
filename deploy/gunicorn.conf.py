"""Gunicorn settings of the portal's web processes.

    gunicorn -c deploy/gunicorn.conf.py kvinnofrid.wsgi

It listens on loopback only, behind the TLS-terminating proxy (deploy/nginx.conf). The
environment may change the address (GUNICORN_BIND) and the number of processes
(WEB_CONCURRENCY); everything else the portal reads from its own variables.
"""

import multiprocessing
import os
from pathlib import Path

chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "kvinnofrid.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages wait on the database, not the CPU: the usual two processes per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request still running after 30 s is killed (the proxy waits 60 s); a stopping process gets
# as long to finish what it serves. Keep-alive is for the proxy's connections on loopback.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Start each process afresh now and then, so that a slow leak never grows large.
max_requests = 1000
max_requests_jitter = 100
# The proxy on loopback is the only one trusted to say the request came over https.
forwarded_allow_ips = "127.0.0.1,::1"

# The access log is the portal's own request line (kvinnofrid.logs: one JSON line per request
# with its request id, without query strings or client addresses), so gunicorn writes none.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.environ.get("LOG_FORMAT", "json") == "json":
    # Gunicorn's own lines (start, stop, a worker killed by the timeout) as JSON too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            }
        },
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        # The portal's own settings configure the root logger once it is loaded.
        "root": {"level": loglevel.upper(), "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            },
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }
