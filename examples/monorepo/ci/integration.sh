#!/bin/sh
# Integration test across services: the worker's queue feeds billing, and the
# api answers. Needs the test database credentials from Secrets Manager and
# Parameter Store (DB_HOST, DB_PASSWORD); CodeBuild masks their values in logs.
# Run from the repository root.
set -eu
. ci/assert.sh

if [ -z "${DB_HOST:-}" ] || [ -z "${DB_PASSWORD:-}" ]; then
  echo "DB_HOST and DB_PASSWORD must be set: the project reads them from Parameter Store and Secrets Manager" >&2
  exit 1
fi
echo "using test database $DB_HOST with password $DB_PASSWORD"

queue=$(mktemp)
trap 'rm -f "$queue"' EXIT
printf 'j1 resize\n' > "$queue"
assert_eq "$(sh services/worker/app.sh "$queue")" "j1 done" "worker processes the queue"
assert_eq "$(printf 'resize 1 120\n' | sh services/billing/app.sh)" "120" "billing charges the job"
assert_eq "$(sh services/api/app.sh /healthz)" '{"status":"ok","service":"api"}' "api is healthy"
finish
