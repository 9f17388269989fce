#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's
# Chromium (never a browser downloaded by a test tool), Debian's Java for the
# Nu HTML Checker (vnu.jar), poppler-utils (pdftotext and pdfinfo, to read
# printed PDFs), and the npm packages pinned in package-lock.json
# (install scripts off: nothing may download a browser or a Java runtime).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
MISSING=()
if [ ! -x /usr/bin/chromium ]; then MISSING+=(chromium); fi
if ! command -v java >/dev/null 2>&1; then MISSING+=(default-jre-headless); fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then MISSING+=(poppler-utils); fi
if [ ${#MISSING[@]} -gt 0 ]; then
  echo "Installing from Debian: ${MISSING[*]}..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${MISSING[@]}" >/dev/null
fi

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages..."
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
