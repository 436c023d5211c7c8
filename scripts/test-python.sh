#!/usr/bin/env bash
# The Python binding's suite: regenerate-check the typed surface, build the abi3 wheel with
# maturin, install it into a venv under target/, type-check a usage file with mypy, and run
# pytest (conformance vectors, unit tests, and the scenarios against the emulator).
# Installs what it needs; re-runs reuse the venv and cargo's build cache.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${ROSTER_PY_VENV:-$ROOT/target/python-venv}
PY=${PYTHON:-python3}

step() { printf '\n==> %s\n' "$*"; }

step "Python: venv and tools ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    'maturin>=1.7,<2' 'pytest>=8' 'pytest-asyncio>=0.23' 'httpx>=0.27,<1' 'mypy>=1.10'

step "Python: the generated surface matches the spec"
cargo run -q -p roster-codegen -- python
# (codegen/tests/python_golden.rs fails when the checked-in files are stale.)

step "Python: build and install the abi3 wheel"
WHEEL=$(bash bindings/python/build-wheel.sh "$VENV" target/python-wheels)
echo "built $WHEEL"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

step "Python: mypy over a usage file (must pass) and a misuse file (must fail on each marked line)"
(cd bindings/python/tests && "$VENV/bin/python" -m mypy --strict --no-incremental typing_usage.py)
expected=$(grep -n '# E:' bindings/python/tests/typing_misuse.py | cut -d: -f1 | sort -n | tr '\n' ' ')
got=$(cd bindings/python/tests && "$VENV/bin/python" -m mypy --strict --no-incremental typing_misuse.py \
    | grep ': error:' | cut -d: -f2 | sort -un | tr '\n' ' ' || true)
if [ "$expected" != "$got" ]; then
    echo "mypy misuse check: expected errors on lines [$expected], got [$got]" >&2
    exit 1
fi
echo "mypy flagged every misuse: lines $got"

step "Python: the emulator binary for the scenarios"
cargo build -q -p roster-emulator && export ROSTER_EMULATOR="$ROOT/target/debug/roster-emulator" \
    || echo "note: the emulator did not build; its scenarios will be skipped"

step "Python: pytest"
set +e
(cd bindings/python && "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests)
status=$?
set -e
# 0: all passed; 5: nothing collected (a broken suite, not a pass); anything else: failures.
if [ "$status" -ne 0 ]; then
    echo "Python suite FAILED (pytest exit code $status)" >&2
    exit "$status"
fi
echo "Python suite passed"
