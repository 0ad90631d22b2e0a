#!/usr/bin/env bash
# `make serve`: the production stack on this machine, on the loopback interface only.
#   PostgreSQL (DATABASE_URL, database created if missing), Redis (REDIS_URL), production
#   settings, hashed static files through WhiteNoise, a db_worker for tasks (search indexing,
#   cache purges), the scheduler, gunicorn on 127.0.0.1:8000 and Varnish on 127.0.0.1:8080.
# Browse http://127.0.0.1:8080/ (admin: http://127.0.0.1:8080/admin/). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
VARNISH_PORT=${VARNISH_PORT:-8080}
# Purges go to a listener of their own, which readers (and a proxy in front) never reach.
PURGE_PORT=${PURGE_PORT:-6091}
APP_PORT=${APP_PORT:-8000}
export DJANGO_SETTINGS_MODULE=newsroom.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsroom}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export VARNISH_URL=${VARNISH_URL:-http://127.0.0.1:$PURGE_PORT}
export WAGTAILADMIN_BASE_URL=${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$VARNISH_PORT}
# Plain HTTP on this machine: no redirect to HTTPS, cookies not limited to HTTPS.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SECURE_COOKIES=${SECURE_COOKIES:-false}
# Varnish appends the client's address to X-Forwarded-For: logins and page passwords are
# counted per client, not per proxy.
export NEWSROOM_TRUSTED_PROXIES=${NEWSROOM_TRUSTED_PROXIES:-1}
# No web server in front here: the app serves renditions from MEDIA_ROOT (Varnish caches them).
export SERVE_RENDITIONS=${SERVE_RENDITIONS:-true}
export STATIC_ROOT=${STATIC_ROOT:-$PWD/static}
# A secret of this machine's own, kept out of the repository (.venv is not tracked).
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s .venv/serve-secret-key ] || "$BIN/python" -c \
    "import secrets; print(secrets.token_urlsafe(50))" > .venv/serve-secret-key
  SECRET_KEY=$(cat .venv/serve-secret-key)
  export SECRET_KEY
fi

VARNISHD=$(command -v varnishd || echo /usr/sbin/varnishd)
if [ ! -x "$VARNISHD" ]; then
  echo "varnishd not found: apt-get install varnish" >&2
  exit 1
fi

# The database, if it is missing.
"$BIN/python" - <<'PY'
import os
import psycopg
from psycopg import sql
import dj_database_url

config = dj_database_url.parse(os.environ["DATABASE_URL"])
if config["ENGINE"].endswith("postgresql"):
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
        password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created database {config['NAME']}")
PY

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
# Canonical, Open Graph and feed links name the address readers use: Varnish's.
"$BIN/python" manage.py setup_newsroom --hostname 127.0.0.1 --port "$VARNISH_PORT"
"$BIN/python" manage.py import_stories seeds/
# `make serve DEMO=1`: the demo newsroom too, to try or measure every kind of reader page.
if [ "${DEMO:-0}" = 1 ]; then
  "$BIN/python" manage.py load_demo_content --allow-debug-off
fi
"$BIN/python" manage.py ensure_admin

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$BIN/python" manage.py db_worker --queue-name '*' & pids+=($!)
"$BIN/python" manage.py publish_scheduled_loop & pids+=($!)
"$BIN/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:$APP_PORT" newsroom.wsgi & pids+=($!)
mkdir -p .venv/varnish
# The VCL's backend is 127.0.0.1:8000; another APP_PORT gets a copy pointing there.
sed "s/\.port = \"8000\";/.port = \"$APP_PORT\";/" deploy/varnish/default.vcl > .venv/varnish.vcl
"$VARNISHD" -F -j none -T none -a "public=127.0.0.1:$VARNISH_PORT" -a "purge=127.0.0.1:$PURGE_PORT" \
  -f "$PWD/.venv/varnish.vcl" \
  -n "$PWD/.venv/varnish" -s malloc,128m & pids+=($!)

echo "Serving http://127.0.0.1:$VARNISH_PORT/ (Varnish) -> http://127.0.0.1:$APP_PORT/ (gunicorn)"
wait -n
