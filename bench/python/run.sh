#!/usr/bin/env bash
# Builds the Python wheel (release) and the emulator, installs the vendor client, and runs the
# side-by-side benchmarks of bench/python/bench.py, then the cancellation bench
# (bench/python/cancel.py). Reuses the venv of scripts/test-python.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${ROSTER_PY_VENV:-$PWD/target/python-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check 'maturin>=1.7,<2' 'httpx>=0.27,<1' voximplant-apiclient
bash bindings/python/build-wheel.sh "$VENV" target/python-wheels
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps target/python-wheels/roster_sdk-*.whl
cargo build -q --release -p roster-emulator
ROSTER_EMULATOR=$PWD/target/release/roster-emulator "$VENV/bin/python" bench/python/bench.py
# Cancellation in the asyncio client: 200 calls cancelled mid-retry, 20 runs (exits 1 when the
# bar is missed, which fails this script).
echo
ROSTER_EMULATOR=$PWD/target/release/roster-emulator "$VENV/bin/python" bench/python/cancel.py
