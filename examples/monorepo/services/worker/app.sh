#!/bin/sh
# worker: processes a queue file of "JOB_ID COMMAND" lines and prints one
# status line per job. Known commands: resize, thumbnail.
# Usage: app.sh QUEUE_FILE
set -eu
status=0
while read -r id cmd; do
  [ -n "$id" ] || continue
  case "$cmd" in
    resize | thumbnail) echo "$id done" ;;
    *) echo "$id failed: unknown command ${cmd:-(none)}"; status=3 ;;
  esac
done < "$1"
exit "$status"
