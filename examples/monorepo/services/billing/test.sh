#!/bin/sh
# Tests for the billing service. Run from the service folder.
set -eu
. ../../ci/assert.sh

assert_eq "$(printf 'coffee 2 350\nbagel 1 275\n' | sh app.sh)" "975" "total"
assert_eq "$(printf '' | sh app.sh)" "0" "empty invoice"
assert_fails "negative quantity" sh -c 'printf "tea -1 100\n" | sh app.sh'
finish
