#!/bin/sh
# ApplicationStop: stop the running revision when systemd manages it.
set -eu
if command -v systemctl >/dev/null 2>&1 && systemctl cat node-webapp >/dev/null 2>&1; then
  systemctl stop node-webapp
else
  echo "node-webapp is not a systemd service here: nothing to stop"
fi
