#!/usr/bin/env bash
# The JavaScript/TypeScript suite (bindings/wasm, npm roster-sdk): builds the package, checks
# the TypeScript declarations with tsc --strict, then runs node --test over the shared vectors,
# every shared scenario vector (tests/scenarios, scripted fetch and virtual clock), the shared
# bad-input table (tests/hostile), the settings, parameter and secrets checks, the scenario
# suite against the emulator (HTTPS, faults) and one headless Chromium test. Installs what it
# needs; exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wasm="$root/bindings/wasm"
cd "$root"

bash "$wasm/build.sh"
ln -sfn ../pkg "$wasm/node_modules/roster-sdk"

echo "== the generated declarations match their golden snapshot"
cargo test -q -p roster-codegen --test typescript_golden

echo "== tsc --noEmit --strict over tests/types/usage.ts"
"$wasm/node_modules/.bin/tsc" -p "$wasm/tests/types/tsconfig.json"

# Debian's Chromium for the browser test; no browser download.
chromium_bin="$(command -v chromium || true)"
if [ -z "$chromium_bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }) || true
  chromium_bin="$(command -v chromium || true)"
fi
# A suite that cannot run its browser test fails rather than passing without it.
[ -n "$chromium_bin" ] || { echo "test-js: no chromium (install Debian's chromium, or run as root so this script can)" >&2; exit 1; }

cargo build -q -p roster-emulator
tmp="$(mktemp -d)"
page_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
"$root/target/debug/roster-emulator" --addr 127.0.0.1:0 --tls --ca-out "$tmp/ca.pem" \
  --credentials-out "$tmp/credentials.json" --voiso-key-out "$tmp/voiso.key" \
  --fixtures "$root/emulator/fixtures/example.json" --cors-origin "http://127.0.0.1:$page_port" \
  >"$tmp/emulator.out" 2>"$tmp/emulator.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 200); do
  grep -q "listening on" "$tmp/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$tmp/emulator.err"; exit 1; }
  sleep 0.1
done
base_url="$(sed -n 's/^roster-emulator listening on //p' "$tmp/emulator.out")"
[ -n "$base_url" ] || { echo "the emulator did not start"; cat "$tmp/emulator.err"; exit 1; }

cd "$wasm"
NODE_EXTRA_CA_CERTS="$tmp/ca.pem" \
ROSTER_EMULATOR_URL="$base_url" \
ROSTER_EMULATOR_CREDENTIALS="$tmp/credentials.json" \
ROSTER_EMULATOR_VOISO_KEY="$tmp/voiso.key" \
ROSTER_CHROMIUM="$chromium_bin" \
ROSTER_PAGE_PORT="$page_port" \
  node --test --test-concurrency=1 tests/*.test.mjs
