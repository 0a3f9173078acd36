#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs what the tests need
# (PostgreSQL's server binaries, the tests start their own throwaway cluster; Chromium for the
# browser tests, which Playwright drives without downloading a browser of its own).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || packages+=(postgresql)
[ -x /usr/lib/chromium/chromium ] || packages+=(chromium)   # the browser tests drive Debian's Chromium
if ((${#packages[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${packages[*]} ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

dotnet tool restore
dotnet test ContactDesk.slnx --configuration Release "$@"
