#!/bin/sh
# api: answers a request path with a JSON body.
# Usage: app.sh PATH
set -eu
case "${1:-/}" in
  /healthz) printf '{"status":"ok","service":"api"}\n' ;;
  /hello/*) printf '{"greeting":"Hello, %s!"}\n' "${1#/hello/}" ;;
  *) printf '{"error":"not found"}\n'; exit 4 ;;
esac
