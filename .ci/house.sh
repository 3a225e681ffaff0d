#!/usr/bin/env bash
# The house rules that a reviewer would otherwise have to remember (STYLE.md, docs/architecture.md):
# imports run one way, no module grows past 500 lines, views and APIs load objects through
# selectors, services and selectors are typed, and bandit finds nothing of medium or high severity.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
status=0

echo "--- import direction (import-linter)"
"$VENV/bin/lint-imports" --no-cache || status=1

echo "--- modules over 500 lines"
big=$(find apps portal -name '*.py' -not -path '*/migrations/*' -exec wc -l {} + \
  | awk '$2 != "total" && $1 > 500 {print "  " $2 " (" $1 " lines)"}')
if [ -n "$big" ]; then echo "$big"; status=1; else echo "  none"; fi

echo "--- ORM queries in view and API modules (load objects through selectors)"
orm=$(find apps -type f -name '*.py' \( -name 'views.py' -o -name 'api.py' -o -name '*_views.py' \
  -o -name '*_api.py' -o -name 'open311.py' -o -path '*/views/*' -o -path '*/api/*' \) \
  -exec grep -Hn '\.objects\.' {} + || true)
if [ -n "$orm" ]; then echo "$orm"; status=1; else echo "  none"; fi

echo "--- security lint (bandit: no high or medium finding; each # nosec has its reason on the line above)"
# (bandit also warns where a # nosec sits on another line of the statement it reports: noise)
if ! findings=$("$VENV/bin/bandit" -q -r apps portal -x '*/migrations/*' --severity-level medium 2>&1); then
  status=1
fi
grep -v 'nosec encountered' <<<"$findings" || true
unexplained=$(grep -rn --include='*.py' '# nosec' apps portal | while IFS=: read -r file line text; do
  previous=$(sed -n "$((line - 1))p" "$file")
  [[ "$previous" =~ ^[[:space:]]*# ]] || echo "  $file:$line"
done)
if [ -n "$unexplained" ]; then echo "# nosec without a reason:"; echo "$unexplained"; status=1; fi

echo "--- the OpenAPI contract (docs/openapi.yaml is what the code's schema says)"
schema=$(mktemp)
if ! "$VENV/bin/python" manage.py spectacular --lang en --validate --fail-on-warn --file "$schema"; then
  echo "  the schema does not generate cleanly"; status=1
elif ! diff -u docs/openapi.yaml "$schema" >"$schema.diff"; then
  head -n 40 "$schema.diff"
  echo "  docs/openapi.yaml differs from the code's schema: run make openapi"; status=1
else
  echo "  in step"
fi
rm -f "$schema" "$schema.diff"

echo "--- types (mypy: strict on services and selectors)"
"$VENV/bin/mypy" || status=1

exit $status
