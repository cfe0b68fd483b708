#!/bin/sh
# ApplicationStart: restart the service when systemd manages it.
set -eu
if command -v systemctl >/dev/null 2>&1 && systemctl cat node-webapp >/dev/null 2>&1; then
  systemctl restart node-webapp
else
  echo "node-webapp is not a systemd service here: nothing to start"
fi
