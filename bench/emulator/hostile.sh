#!/usr/bin/env bash
# Hostile-client measurement of the emulator (security review, issue 14): oversized request
# bodies sent all at once while a loop sends valid GetUsers requests, over loopback only.
#
# The emulator (release build, 1,000 users, request log on) is started on 127.0.0.1 on a free
# port. Two loops send GetUsers (count=20, bearer JWT) one after another from 0.5 s before the
# attack until 0.5 s after it; the attack is twelve POSTs to /platform_api/GetUsers in parallel,
# each with a bearer JWT and `Expect:` turned off so curl pushes the bytes without waiting to be
# asked: six of 20 MB with Content-Length, three of 50 MB with Content-Length, three of 50 MB
# chunked. Printed side by side: RSS before the attack, its peak (the kernel's VmHWM, which no
# sampling can miss) and after; the status codes the oversized requests got; the latency of the
# valid GetUsers requests (all of them, and those in flight at some point of the attack).
#
# The same attack is then run with the limit lifted (--max-body-bytes 256 MiB) for comparison,
# unless --no-compare is given. Bars (default limit): RSS peak under 250 MB, every valid
# GetUsers answered correctly within 1 s, every oversized request answered 413. Exits 1 when a
# bar is missed. Bounded: 12 attack requests (30 s each at most), at most 2 x 2,500 valid
# requests and 60 s per run.
#
# Usage: bash bench/emulator/hostile.sh [--no-compare]
set -euo pipefail
export LC_ALL=C  # a decimal point in $EPOCHREALTIME and awk, whatever the locale
cd "$(dirname "$0")/../.."
COMPARE=1
[ "${1:-}" = "--no-compare" ] && COMPARE=0

for tool in curl openssl awk; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
WORK=$(mktemp -d)
EMU_PID=
LOOP_PIDS=()
cleanup() {
  [ "${#LOOP_PIDS[@]}" -gt 0 ] && kill "${LOOP_PIDS[@]}" 2>/dev/null || true
  [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cargo build -q --release -p roster-emulator
BIN=target/release/roster-emulator
MB=1000000

# 1,000 users in application 1, in the fixtures format (as load.sh).
awk -v n=1000 'BEGIN {
  printf "{\"applications\":[{\"application_id\":1,\"application_name\":\"demo\"}],\"skills\":[{\"skill_id\":1,\"skill_name\":\"english\"}],\"users\":["
  for (i = 1; i <= n; i++) {
    printf "%s{\"user_name\":\"agent-%06d\",\"user_display_name\":\"Agent %d\",\"application_id\":1,\"balance\":\"%d.50\",\"skills\":[1]}", (i > 1 ? "," : ""), i, i, i % 100
  }
  printf "]}"
}' > "$WORK/users.json"

# A GetUsers form of exactly $1 bytes: its parameters, then padding in an unknown parameter.
body() {
  local prefix='application_id=1&count=20&pad='
  { printf '%s' "$prefix"; head -c "$(( $1 - ${#prefix} ))" /dev/zero | tr '\0' x; } > "$2"
}
body $((20 * MB)) "$WORK/b20"
body $((50 * MB)) "$WORK/b50"

# An RS256 token for the built-in development key (the repository's test key), 1 hour.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"roster-emulator-key"}' | b64url)
claims=$(printf '{"iss":1000001,"iat":%d,"exp":%d}' "$((now - 10))" "$((now + 3500))" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign tests/fixtures/test-key.pem | b64url)
TOKEN="$header.$claims.$signature"

kb() { awk -v k="^$1:" '$0 ~ k {print $2}' "/proc/$EMU_PID/status"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f MB", k / 1024}'; }

# Valid GetUsers one after another until $WORK/stop appears (loop $1 of two): one line per
# request, its start time, HTTP status, curl's total time in seconds and whether all 1,000
# users were counted. Only curl is forked, so the loop samples as often as it can.
valid_loop() {
  local n=0 deadline=$((SECONDS + 60)) t0 out ok answer file="$WORK/valid-$1.json"
  while [ ! -e "$WORK/stop" ] && [ "$n" -lt 2500 ] && [ "$SECONDS" -lt "$deadline" ]; do
    : > "$file"
    t0=$EPOCHREALTIME
    out=$(curl -s -o "$file" -w '%{http_code} %{time_total}' --max-time 5 \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-www-form-urlencoded' \
      -d 'application_id=1&count=20' "$URL/platform_api/GetUsers" || true)
    answer=
    IFS= read -r -d '' answer < "$file" || true
    ok=0
    case "$answer" in *'"total_count":1000'*) ok=1 ;; esac
    echo "$t0 $out $ok" >> "$WORK/valid-$1.log"
    n=$((n + 1))
  done
}

# One oversized POST: its status code (000: no answer) into $WORK/codes/$1.
oversized() {
  local name=$1 file=$2
  shift 2
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -H 'Expect:' \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-www-form-urlencoded' \
    "$@" --data-binary @"$file" "$URL/platform_api/GetUsers" > "$WORK/codes/$name" || true
}

# Runs the whole measurement against an emulator started with the flags given; sets R_* vars.
run() {
  rm -rf "$WORK/codes" "$WORK/stop" "$WORK"/valid-* "$WORK/out"
  mkdir "$WORK/codes"
  "$BIN" --addr 127.0.0.1:0 --fixtures "$WORK/users.json" "$@" > "$WORK/out" 2> "$WORK/err" &
  EMU_PID=$!
  for _ in $(seq 1 500); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.01; done
  URL=$(sed -n 's/^roster-emulator listening on //p' "$WORK/out")
  [ -n "$URL" ] || { cat "$WORK/err" >&2; exit 1; }
  case "$URL" in http://127.0.0.1:*) ;; *) echo "not on loopback: $URL" >&2; exit 1 ;; esac
  check=$(curl -s -H "Authorization: Bearer $TOKEN" -d 'application_id=1&count=20' "$URL/platform_api/GetUsers")
  case "$check" in *'"total_count":1000'*) ;; *) echo "unexpected answer: ${check:0:300}" >&2; exit 1 ;; esac
  sleep 0.3
  R_BEFORE=$(kb VmRSS)

  valid_loop 1 &
  LOOP_PIDS=($!)
  valid_loop 2 &
  LOOP_PIDS+=($!)
  sleep 0.5
  local a0 a1 pids=() i
  a0=$EPOCHREALTIME
  for i in 1 2 3 4 5 6; do oversized "1-20MB-cl-$i" "$WORK/b20" & pids+=($!); done
  for i in 1 2 3; do oversized "2-50MB-cl-$i" "$WORK/b50" & pids+=($!); done
  for i in 1 2 3; do oversized "3-50MB-chunked-$i" "$WORK/b50" -H 'Transfer-Encoding: chunked' & pids+=($!); done
  wait "${pids[@]}"
  a1=$EPOCHREALTIME
  sleep 0.5
  touch "$WORK/stop"
  wait "${LOOP_PIDS[@]}" || true
  LOOP_PIDS=()
  cat "$WORK"/valid-[12].log > "$WORK/valid.log"
  sleep 0.5
  R_AFTER=$(kb VmRSS)
  R_PEAK=$(kb VmHWM)
  R_LOGGED=$(curl -s "$URL/_emulator/requests" | wc -c)
  kill "$EMU_PID" 2>/dev/null || true
  wait "$EMU_PID" 2>/dev/null || true
  EMU_PID=

  codes() { cat "$WORK/codes/$1"-* | tr '\n' ' ' | sed 's/ $//'; }
  R_C20=$(codes 1-20MB-cl)
  R_C50=$(codes 2-50MB-cl)
  R_C50C=$(codes 3-50MB-chunked)
  R_ATTACK=$(awk -v a="$a0" -v b="$a1" 'BEGIN {printf "%.2f s", b - a}')
  # Lines of start, status, seconds, ok -> count, failures, max ms, median ms, and the count and
  # max of those in flight at some point of the attack.
  local med
  med=$(awk '{print $3 * 1000}' "$WORK/valid.log" | sort -n | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : 0}')
  R_VALID=$(awk -v a="$a0" -v b="$a1" -v med="$med" '
    { n++; ms = $3 * 1000; if ($2 != 200 || $4 != 1) bad++; if (ms > max) max = ms
      if ($1 <= b && $1 + $3 >= a) { dn++; if (ms > dmax) dmax = ms } }
    END { printf "%d %d %.1f %.1f %d %.1f", n, bad, max, med, dn, dmax }' "$WORK/valid.log")
}

run
read -r V_N V_BAD V_MAX V_MED V_DN V_DMAX <<< "$R_VALID"
D=("$(mb "$R_BEFORE")" "$(mb "$R_PEAK")" "$(mb "$R_AFTER")" "$R_C20" "$R_C50" "$R_C50C" "$R_ATTACK"
   "$V_N sent, $V_BAD wrong" "$V_DN" "$V_MAX ms" "$V_DMAX ms" "$V_MED ms" "$R_LOGGED bytes")
P_BEFORE=$R_BEFORE P_PEAK=$R_PEAK C_ALL="$R_C20 $R_C50 $R_C50C"
if [ "$COMPARE" = 1 ]; then
  run --max-body-bytes $((256 * 1024 * 1024))
  read -r L_N L_BAD L_MAX L_MED L_DN L_DMAX <<< "$R_VALID"
  L=("$(mb "$R_BEFORE")" "$(mb "$R_PEAK")" "$(mb "$R_AFTER")" "$R_C20" "$R_C50" "$R_C50C" "$R_ATTACK"
     "$L_N sent, $L_BAD wrong" "$L_DN" "$L_MAX ms" "$L_DMAX ms" "$L_MED ms" "$R_LOGGED bytes")
else
  L=("" "" "" "" "" "" "" "" "" "" "" "" "")
fi

ROWS=("RSS before the attack" "RSS peak (VmHWM)" "RSS after the attack"
      "6 x 20 MB, Content-Length" "3 x 50 MB, Content-Length" "3 x 50 MB, chunked" "attack wall time"
      "valid GetUsers" "  of them during the attack" "  max latency" "  max latency during the attack"
      "  median latency" "request log (GET /_emulator/requests)")
BARS=("" "< 250 MB" "" "413 each" "413 each" "413 each" "" "0 wrong" "" "< 1000 ms" "< 1000 ms" "" "")
echo
echo "Hostile clients against roster-emulator (release, 1,000 users, loopback, $(nproc) cores)"
printf '%-40s %-26s %-26s %s\n' "" "default limit (1 MiB)" "$([ "$COMPARE" = 1 ] && echo 'limit lifted (256 MiB)')" "bar"
for i in "${!ROWS[@]}"; do
  printf '%-40s %-26s %-26s %s\n' "${ROWS[$i]}" "${D[$i]}" "${L[$i]}" "${BARS[$i]}"
done

failed=0
awk -v k="$P_PEAK" 'BEGIN {exit !(k / 1024 < 250)}' || { echo "BAR MISSED: RSS peak $(mb "$P_PEAK") (before: $(mb "$P_BEFORE"))"; failed=1; }
awk -v m="$V_MAX" 'BEGIN {exit !(m < 1000)}' || { echo "BAR MISSED: a valid GetUsers took $V_MAX ms"; failed=1; }
[ "$V_BAD" = 0 ] || { echo "BAR MISSED: $V_BAD valid GetUsers answered wrongly or not at all"; failed=1; }
for c in $C_ALL; do [ "$c" = 413 ] || { echo "BAR MISSED: an oversized request got $c"; failed=1; break; }; done
[ "$failed" = 0 ] && echo "all bars met (default limit)"
exit "$failed"
