#!/usr/bin/env bash
# Installs Debian's nginx when it is missing, for publish.test.js, which
# runs it as the current user on a free port with its own configuration in
# a temp folder. The package is installed without starting the system's
# nginx service: when the system has no /usr/sbin/policy-rc.d (containers
# usually have one that says "do not start services"), one is put there for
# the install and taken away after it.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
echo "Installing from Debian: nginx..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
