#!/bin/sh
# ValidateService: start the installed revision on a free port and check that
# /healthz reports the version that was just installed.
set -eu
app="${PIPEFORM_DEPLOY_ROOT:-}/srv/node-webapp"
node "$app/src/healthcheck.js"
