"""gunicorn settings: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi` (docs/deploy.md).

Every value can be changed from the environment (GUNICORN_*), e.g. GUNICORN_BIND for the address.
"""

import multiprocessing
import os

# Behind Varnish on the same machine: listen on the loopback interface only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows large.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Load the app before forking: workers share its memory and a broken deploy fails at once.
preload_app = True
# Varnish (and a TLS proxy) on this machine may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
