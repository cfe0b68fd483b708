# Assertions for the services' shell tests; source it, call assert_* and
# finally `finish`, which exits 1 if any assertion failed. POSIX sh.

failures=0
passes=0

# assert_eq GOT WANT NAME
assert_eq() {
  if [ "$1" = "$2" ]; then
    passes=$((passes + 1))
    echo "ok   $3"
  else
    failures=$((failures + 1))
    printf 'FAIL %s\n  got:  %s\n  want: %s\n' "$3" "$1" "$2"
  fi
}

# assert_fails NAME COMMAND...: COMMAND must exit non-zero.
assert_fails() {
  name=$1
  shift
  if "$@" >/dev/null 2>&1; then
    failures=$((failures + 1))
    echo "FAIL $name: succeeded, want a failure"
  else
    passes=$((passes + 1))
    echo "ok   $name"
  fi
}

finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
