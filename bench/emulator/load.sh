#!/usr/bin/env bash
# Load benchmark of the emulator: GetUsers (count=20) with 1,000 users in state, driven over
# loopback by wrk; then the emulator's memory (RSS) with 100,000 users loaded through the admin
# endpoint. Usage: bash bench/emulator/load.sh [DURATION_SECS] [CONNECTIONS]
# Installs wrk with apt-get when missing. Targets: >= 20,000 req/s, p99 < 10 ms, RSS < 200 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
CONNECTIONS=${2:-32}
WORK=$(mktemp -d)
trap 'kill "${EMU_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
command -v openssl >/dev/null || { echo "openssl is needed to sign the token" >&2; exit 1; }
cargo build -q --release -p roster-emulator

# n users in application 1, in the fixtures format.
fixtures() {
  awk -v n="$1" 'BEGIN {
    printf "{\"applications\":[{\"application_id\":1,\"application_name\":\"demo\"}],\"skills\":[{\"skill_id\":1,\"skill_name\":\"english\"}],\"users\":["
    for (i = 1; i <= n; i++) {
      printf "%s{\"user_name\":\"agent-%06d\",\"user_display_name\":\"Agent %d\",\"application_id\":1,\"balance\":\"%d.50\",\"skills\":[1]}", (i > 1 ? "," : ""), i, i, i % 100
    }
    printf "]}"
  }'
}
fixtures 1000 > "$WORK/users-1k.json"
fixtures 100000 > "$WORK/users-100k.json"

start_ns=$(date +%s%N)
target/release/roster-emulator --fixtures "$WORK/users-1k.json" > "$WORK/out" 2> "$WORK/err" &
EMU_PID=$!
for _ in $(seq 1 200); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.01; done
ready_ns=$(date +%s%N)
URL=$(sed -n 's/^roster-emulator listening on //p' "$WORK/out")
[ -n "$URL" ] || { cat "$WORK/err" >&2; exit 1; }
echo "start-up (process start to the ready line, 1,000 users): $(( (ready_ns - start_ns) / 1000000 )) ms"

# An RS256 token for the built-in development key (the repository's test key), 1 hour.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"roster-emulator-key"}' | b64url)
claims=$(printf '{"iss":1000001,"iat":%d,"exp":%d}' "$((now - 10))" "$((now + 3500))" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign tests/fixtures/test-key.pem | b64url)
export TOKEN="$header.$claims.$signature"

check=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -d 'application_id=1&count=20' "$URL/platform_api/GetUsers")
case "$check" in
  *'"total_count":1000'*) ;;
  *) echo "unexpected answer: ${check:0:300}" >&2; exit 1 ;;
esac
echo "answer size: ${#check} bytes (20 users)"

wrk -t1 -c"$CONNECTIONS" -d1s -s bench/emulator/getusers.lua "$URL/platform_api/GetUsers" > /dev/null  # warm-up
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/emulator/getusers.lua "$URL/platform_api/GetUsers" | tee "$WORK/wrk"
rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk")
p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk")
echo "GetUsers count=20, 1,000 users: ${rps} requests/s, p99 ${p99} (wrk, 1 thread, ${CONNECTIONS} connections, ${DURATION} s)"

rss() { awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$EMU_PID/status"; }
echo "RSS with 1,000 users: $(rss)"
curl -s -X POST --data-binary @"$WORK/users-100k.json" "$URL/_emulator/fixtures" > "$WORK/load"
grep -q '"users":100000' "$WORK/load" || { echo "loading 100,000 users failed: $(head -c 300 "$WORK/load")" >&2; exit 1; }
echo "RSS with 100,000 users (after loading them through POST /_emulator/fixtures): $(rss)"
check=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -d 'application_id=1&count=20&offset=50000' "$URL/platform_api/GetUsers")
case "$check" in *'"total_count":100000'*) echo "GetUsers over 100,000 users answers" ;; *) echo "unexpected: ${check:0:200}" >&2; exit 1 ;; esac
