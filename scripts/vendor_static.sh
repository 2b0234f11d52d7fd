#!/usr/bin/env sh
# Vendors third-party browser assets from their npm packages into peacehub/static/vendor.
# Run by hand when upgrading; the results are committed, so nothing downloads at run time.
set -eu
HTMX_VERSION=2.0.11
# axe-core is used only by the browser tests (tests/browser/test_public_site.py), which
# inject it from this file; no page links it, so visitors never download it.
AXE_CORE_VERSION=4.14.1
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
rm -rf package

npm pack --silent "axe-core@${AXE_CORE_VERSION}" >/dev/null
tar -xzf axe-core-${AXE_CORE_VERSION}.tgz
mkdir -p "$here/peacehub/static/vendor/axe-core"
cp package/axe.min.js "$here/peacehub/static/vendor/axe-core/axe.min.js"
cp package/LICENSE "$here/peacehub/static/vendor/axe-core/LICENSE"
{
  echo "axe-core ${AXE_CORE_VERSION} from the npm registry (npm pack axe-core@${AXE_CORE_VERSION}), MPL-2.0."
  echo "Used only by the browser tests, which inject it into the page under test."
} > "$here/peacehub/static/vendor/axe-core/VERSION"
