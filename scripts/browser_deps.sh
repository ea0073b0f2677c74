#!/usr/bin/env bash
# The browser suite's outside parts: Debian's Chromium (when missing, and apt is at hand) and
# axe-core from the npm registry into .browser-deps/ (gitignored), which the tests inject.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_VERSION=4.14.1

if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f .browser-deps/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix .browser-deps "axe-core@${AXE_VERSION}"
fi
