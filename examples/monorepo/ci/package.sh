#!/bin/sh
# Packages one service into services/SERVICE/dist: the app, its VERSION and a
# manifest. Run from the repository root. Needs ARTIFACT_TOKEN (from
# Parameter Store) to publish the package to the team's artifact repository.
# Usage: ci/package.sh SERVICE
set -eu
service=$1
src="services/$service"
dist="$src/dist"
version=$(cat "$src/VERSION")

if [ -z "${ARTIFACT_TOKEN:-}" ]; then
  echo "ARTIFACT_TOKEN is not set: the project reads it from Parameter Store" >&2
  exit 1
fi

rm -rf "$dist"
mkdir -p "$dist"
cp "$src/app.sh" "$src/VERSION" "$dist/"
printf '{"service":"%s","version":"%s","release":"%s"}\n' \
  "$service" "$version" "${RELEASE:-latest}" > "$dist/manifest.json"
echo "packaged $service $version (release ${RELEASE:-latest}); publishing with token $ARTIFACT_TOKEN"
