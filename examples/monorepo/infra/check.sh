#!/bin/sh
# What a local run does instead of the CloudFormation deploy: check that the
# template is there and declares what the deploy action passes to it.
# Usage: infra/check.sh TEMPLATE
set -eu
template=$1
grep -q '^AWSTemplateFormatVersion: "2010-09-09"' "$template"
for param in Environment Release; do
  if ! grep -q "^  $param:" "$template"; then
    echo "$template: parameter $param is missing" >&2
    exit 1
  fi
done
echo "$template declares Environment and Release: ready for CloudFormation"
