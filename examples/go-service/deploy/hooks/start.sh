#!/bin/sh
# ApplicationStart: restart the service when systemd manages it.
set -eu
if command -v systemctl >/dev/null 2>&1 && systemctl cat goservice >/dev/null 2>&1; then
  systemctl restart goservice
else
  echo "goservice is not a systemd service here: nothing to restart"
fi
