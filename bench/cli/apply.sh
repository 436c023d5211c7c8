#!/usr/bin/env bash
# `roster apply` of a 1,000-agent roster against the emulator with every answer 5 ms late:
# bounded concurrency against a sequential baseline of the same calls, in one run.
#
#   bash bench/cli/apply.sh [CONCURRENCY] [RATE_LIMIT]
#
# CONCURRENCY defaults to 16. RATE_LIMIT (requests per second, default 1500) makes the emulator
# refuse bursts with error 340, which apply must retry: the run fails if any change fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CONCURRENCY=${1:-16}
RATE_LIMIT=${2:-1500}
WORK=$(mktemp -d)
trap 'kill "$EMU_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cd "$ROOT"
cargo build -q --release -p roster-cli -p roster-emulator
BIN=$ROOT/target/release

python3 "$ROOT/bench/cli/roster_file.py" 1000 > "$WORK/team.toml"

"$BIN/roster-emulator" --tls --ca-out "$WORK/ca.pem" --credentials-out "$WORK/creds.json" \
  --faults '*=delay:5' --user-limit 5000 --rate-limit "$RATE_LIMIT" --request-log 0 \
  > "$WORK/emulator.out" &
EMU_PID=$!
for _ in $(seq 200); do grep -q listening "$WORK/emulator.out" 2>/dev/null && break; sleep 0.05; done
BASE=$(sed -n 's/.*listening on //p' "$WORK/emulator.out")
ROSTER=("$BIN/roster" --credentials "$WORK/creds.json" --base-url "$BASE" --ca-cert "$WORK/ca.pem")

# Runs one apply from an empty account; prints its wall time in seconds and its summary.
apply() {
  curl -sf --cacert "$WORK/ca.pem" -X POST "$BASE/_emulator/reset" > /dev/null
  local start end
  start=$(date +%s.%N)
  "${ROSTER[@]}" apply --no-table --concurrency "$1" --passwords-out "$WORK/pw-$1.csv" "$WORK/team.toml" \
    > "$WORK/apply-$1.out" 2> "$WORK/apply-$1.err" || { cat "$WORK/apply-$1.err" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(round($end - $start, 2))"
}

SEQ=$(apply 1)
PAR=$(apply "$CONCURRENCY")
CHANGES=$(sed -n 's/^Plan: //p' "$WORK/apply-1.out")
echo "roster apply, 1,000 agents, emulator answers 5 ms late, rate limit $RATE_LIMIT req/s"
echo "  plan:            $CHANGES"
echo "  sequential:      ${SEQ} s   $(grep '^Applied' "$WORK/apply-1.out")"
echo "  concurrency $CONCURRENCY:  ${PAR} s   $(grep '^Applied' "$WORK/apply-$CONCURRENCY.out")"
echo "  speed-up:        $(python3 -c "print(round($SEQ / $PAR, 1))")x"
# The second apply of the same file must find nothing to do.
"${ROSTER[@]}" plan "$WORK/team.toml" | head -1
