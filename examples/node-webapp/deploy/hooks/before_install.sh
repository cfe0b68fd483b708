#!/bin/sh
# BeforeInstall: the new revision must run on the Node.js major it was tested on.
set -eu
echo "Installing $APPLICATION_NAME into deployment group $DEPLOYMENT_GROUP_NAME"
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "node-webapp needs Node.js 20 or newer, found $(node --version)" >&2
  exit 1
fi
