#!/bin/sh
# Tests for the api service. Run from the service folder.
set -eu
. ../../ci/assert.sh

assert_eq "$(sh app.sh /healthz)" '{"status":"ok","service":"api"}' "healthz"
assert_eq "$(sh app.sh /hello/ana)" '{"greeting":"Hello, ana!"}' "hello"
assert_fails "unknown path" sh app.sh /nope
finish
