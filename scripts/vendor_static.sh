#!/usr/bin/env sh
# Vendors third-party browser assets from their npm packages into peacehub/static/vendor.
# Run by hand when upgrading; the results are committed, so nothing downloads at run time.
set -eu
HTMX_VERSION=2.0.11
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null
tar -xzf htmx.org-${HTMX_VERSION}.tgz
mkdir -p "$here/peacehub/static/vendor/htmx"
cp package/dist/htmx.min.js "$here/peacehub/static/vendor/htmx/htmx.min.js"
cp package/LICENSE "$here/peacehub/static/vendor/htmx/LICENSE"
echo "htmx.org ${HTMX_VERSION} from the npm registry (npm pack htmx.org@${HTMX_VERSION})" \
  > "$here/peacehub/static/vendor/htmx/VERSION"
