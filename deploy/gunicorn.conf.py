"""gunicorn settings for Tongtui: `gunicorn -c deploy/gunicorn.conf.py tongtui.wsgi`.

Everything can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...), so one file serves
one machine or several behind a load balancer."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Tongtui's requests are short and database-bound. Two per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Imports, ledger exports and meeting packs are the slowest requests (a few seconds for a district).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Restart each worker after a while so that a slow leak never grows (jitter: not all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# nginx on the same machine (or the load balancer's addresses) may say which scheme the client used.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Tongtui writes its own structured line per request (LOG_REQUESTS=True); gunicorn's access log is off by
# default to avoid writing every request twice. Errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = "tongtui"
# Load the application before forking: a bad setting (or the development SECRET_KEY without DEBUG) stops the
# start at once with its message instead of every worker failing in turn.
preload_app = True
