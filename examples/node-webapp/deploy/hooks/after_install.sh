#!/bin/sh
# AfterInstall: record which revision is installed, for the ops runbook.
# PIPEFORM_DEPLOY_ROOT is set only by local pipeform runs, where the
# instance's "/" is a folder; on EC2 it is empty.
set -eu
app="${PIPEFORM_DEPLOY_ROOT:-}/srv/node-webapp"
echo "Installed node-webapp $(cat "$app/VERSION") in $app (deployment ${DEPLOYMENT_ID:-none})"
