#!/usr/bin/env bash
# The OpenAPI document and the C# client generated from it.
#
#   scripts/openapi.sh          refresh docs/openapi.json from the running service, lint it, and
#                               regenerate the Kiota client in tests/ContactDesk.Client/Generated
#   scripts/openapi.sh --check  change nothing; fail when the service serves another document than
#                               docs/openapi.json, when the linter reports any error or warning, or
#                               when the committed client is not what Kiota makes of the document
#
# The document comes from the built service itself, started on a throwaway SQLite database, and is
# written as Node formats JSON (2 spaces; response codes in numeric order).
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
[ "${1:-}" = "--check" ] && check=true

document=docs/openapi.json
client=tests/ContactDesk.Client/Generated
work=$(mktemp -d)
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

# 1. The document the service serves.
dotnet build src/ContactDesk --configuration Release --nologo --verbosity quiet -consoleLoggerParameters:ErrorsOnly
port=$(free_port)
ConnectionStrings__Default="Data Source=$work/contactdesk.db" Email__PickupDirectory="$work/mail" \
  dotnet src/ContactDesk/bin/Release/net10.0/ContactDesk.dll --urls "http://127.0.0.1:$port" > "$work/app.log" 2>&1 &
app_pid=$!
node tools/openapi/fetch-document.mjs "http://127.0.0.1:$port" > "$work/openapi.json" || { cat "$work/app.log"; exit 1; }
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""

if $check; then
  if ! diff -u "$document" "$work/openapi.json" > "$work/document.diff"; then
    head -60 "$work/document.diff"
    echo "The service serves another OpenAPI document than $document: run scripts/openapi.sh and commit the result." >&2
    exit 1
  fi
else
  cp "$work/openapi.json" "$document"
fi

# 2. The linter (Redocly CLI, pinned in tools/openapi), recommended rules; a warning fails too.
(cd tools/openapi && npm ci --silent --no-audit --no-fund)
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
lint() { tools/openapi/node_modules/.bin/redocly lint "$document" --config tools/openapi/redocly.yaml "$@"; }
lint --format stylish 2>&1 | grep -v -e '^ *$' -e '║' -e '╔' -e '╚' || true
# The verdict from the JSON report: Redocly's exit code ignores warnings.
lint --format json > "$work/lint.json" 2> /dev/null || true
node tools/openapi/lint-verdict.mjs "$work/lint.json"

# 3. The client (Kiota, pinned in dotnet-tools.json).
dotnet tool restore > /dev/null
# Offline: no update check against GitHub; no telemetry.
export KIOTA_OFFLINE_ENABLED=true KIOTA_CLI_TELEMETRY_OPTOUT=true KIOTA_TUTORIAL_ENABLED=false
generate() {
  dotnet kiota generate --language CSharp --class-name ContactDeskClient --namespace-name ContactDesk.Client \
    --openapi "$document" --output "$1" --exclude-backward-compatible --clean-output --log-level Warning
}
if $check; then
  generate "$work/client"
  # The lock file names the document relative to the output folder, which differs here.
  if ! diff -ru -I '"descriptionLocation"' "$client" "$work/client" > "$work/client.diff"; then
    head -60 "$work/client.diff"
    echo "$client is not what Kiota generates from $document: run scripts/openapi.sh and commit the result." >&2
    exit 1
  fi
  echo "OpenAPI document and client are up to date."
else
  generate "$client"
fi
