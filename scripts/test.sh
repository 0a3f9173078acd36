#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs what the tests need
# (PostgreSQL's server binaries, the tests start their own throwaway cluster; Chromium for the
# browser tests, which Playwright drives without downloading a browser of its own; Dovecot's IMAP
# server, of which the inbound-email tests start private instances on loopback ports), and checks the
# OpenAPI document and its generated client (scripts/openapi.sh --check).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || packages+=(postgresql)
[ -x /usr/lib/chromium/chromium ] || packages+=(chromium)   # the browser tests drive Debian's Chromium
[ -x /usr/sbin/dovecot ] || packages+=(dovecot-imapd)       # the inbound tests start their own Dovecot
if ((${#packages[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${packages[*]} ..."
  $sudo apt-get update -qq
  # No system services started by the install (the tests run private instances): policy-rc.d
  # answers "denied" while apt runs, unless the machine already has a policy of its own.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    own_policy=1
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d > /dev/null && $sudo chmod +x /usr/sbin/policy-rc.d
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
  [ -z "$own_policy" ] || $sudo rm -f /usr/sbin/policy-rc.d
fi

dotnet tool restore
# The whole run (as CI does it) also checks the API's OpenAPI document: that the service serves the
# committed docs/openapi.json, that Redocly's recommended rules find nothing in it, and that the
# committed client is what Kiota generates from it. A focused run (with arguments) leaves this out.
if (($# == 0)); then
  command -v npm > /dev/null || { echo "The OpenAPI linter needs Node.js 20 or later and npm." >&2; exit 1; }
  bash scripts/openapi.sh --check
fi
dotnet test ContactDesk.slnx --configuration Release "$@"
