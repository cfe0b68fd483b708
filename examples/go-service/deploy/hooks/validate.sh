#!/bin/sh
# ValidateService: the installed binary must start and answer /healthz.
# PIPEFORM_DEPLOY_ROOT is set only by local pipeform runs, where the
# instance's "/" is a folder; on EC2 it is empty.
set -eu
"${PIPEFORM_DEPLOY_ROOT:-}/opt/goservice/bin/goservice" -check
