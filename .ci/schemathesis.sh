#!/usr/bin/env bash
# schemathesis (all checks) against a live portal on a loopback port, as a resident, a clerk,
# counter staff, a department's system (an OAuth2 access token) and an anonymous caller: 0 server errors and 0 schema violations. The few
# business refusals it cannot know are in .ci/schemathesis.toml, each with its reason.
# Its own PostgreSQL database (portal_schemathesis), migrated and seeded with the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${SCHEMATHESIS_PORT:-8731}
DB=${SCHEMATHESIS_DB:-portal_schemathesis}
BASE="http://127.0.0.1:$PORT"
EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-5}
work=$(mktemp -d)
server=""
stop() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 CELERY_BROKER_URL="" CACHE_URL=""
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
"$VENV/bin/python" manage.py migrate --noinput -v0
"$VENV/bin/python" manage.py createcachetable
"$VENV/bin/python" manage.py seed_demo --json >"$work/accounts.json"

# Request lines up to gunicorn's largest (8190 bytes, as a front proxy's 8 KiB buffers take):
# the fuzzer's long query strings then reach the API instead of gunicorn's own 414.
"$VENV/bin/gunicorn" portal.wsgi -w 2 -b "127.0.0.1:$PORT" --timeout 60 \
  --limit-request-line 8190 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "$BASE/healthz" && break
  sleep 1
done
"$VENV/bin/python" .ci/schemathesis_tokens.py "$BASE" "$work/accounts.json" >"$work/tokens"

status=0
for persona in anonymous resident clerk counter system; do
  auth=()
  if [ "$persona" != anonymous ]; then
    auth=(-H "Authorization: Bearer $(grep "^$persona=" "$work/tokens" | cut -d= -f2)")
  fi
  if [ "$persona" = system ]; then
    # A system's OAuth2 token opens the service API only (anywhere else it is a 401, as it
    # should be, and the other personas already fuzz those operations).
    auth+=(--include-path-regex '^/api/v1/systems/')
  fi
  echo "--- schemathesis as $persona"
  if ! "$VENV/bin/st" --config-file .ci/schemathesis.toml run docs/openapi.yaml --url "$BASE" \
    "${auth[@]}" -H "Accept-Language: en" --checks all --max-examples "$EXAMPLES" \
    --request-timeout 20 --max-time "${SCHEMATHESIS_SECONDS:-30}" --workers 1 --no-shrink \
    --seed 13 >"$work/$persona.log" 2>&1; then
    status=1
    sed -n '/FAILURES/,$p' "$work/$persona.log" | head -n 200 || true  # head may close the pipe early
  fi
  if [ -n "${SCHEMATHESIS_LOG_DIR:-}" ]; then cp "$work/$persona.log" "$SCHEMATHESIS_LOG_DIR/"; fi
  grep -E '^ +[0-9]+ generated' "$work/$persona.log" | tail -n 1 || true
  tail -n 1 "$work/$persona.log"
done
if [ "$status" -ne 0 ]; then
  echo "--- server log (tail)"; tail -n 40 "$work/server.log"
fi
exit $status
