#!/bin/sh
# Tests for the worker service. Run from the service folder.
set -eu
. ../../ci/assert.sh

queue=$(mktemp)
trap 'rm -f "$queue"' EXIT
printf 'j1 resize\nj2 thumbnail\n' > "$queue"
assert_eq "$(sh app.sh "$queue")" "$(printf 'j1 done\nj2 done')" "known jobs"
printf 'j3 explode\n' > "$queue"
assert_fails "unknown job" sh app.sh "$queue"
finish
