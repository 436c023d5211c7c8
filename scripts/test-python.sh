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
# The emulator scenarios need it: a build failure fails the suite rather than skipping them.
cargo build -q -p roster-emulator
export ROSTER_EMULATOR="$ROOT/target/debug/roster-emulator"

run_pytest() {  # run_pytest VENV: pytest with that venv's interpreter; exits on failure
    set +e
    (cd bindings/python && "$1/bin/python" -m pytest -q -p no:cacheprovider tests)
    local status=$?
    set -e
    # 0: all passed; 5: nothing collected (a broken suite, not a pass); anything else: failures.
    if [ "$status" -ne 0 ]; then
        echo "Python suite FAILED on $("$1/bin/python" -V) (pytest exit code $status)" >&2
        exit "$status"
    fi
}

step "Python: pytest ($("$VENV/bin/python" -V))"
run_pytest "$VENV"

# The wheel is abi3 for CPython >= 3.9: prove it on the oldest one when the machine has it.
PY39=""
for candidate in python3.9 "$(pyenv root 2>/dev/null)"/versions/3.9*/bin/python3.9; do
    if "$candidate" -V >/dev/null 2>&1; then PY39=$candidate; break; fi
done
if [ -n "$PY39" ]; then
    step "Python: the same wheel on $("$PY39" -V)"
    VENV39=$ROOT/target/python39-venv
    [ -x "$VENV39/bin/python" ] || "$PY39" -m venv "$VENV39"
    "$VENV39/bin/python" -m pip install -q --disable-pip-version-check 'pytest>=8' 'pytest-asyncio>=0.23' 'httpx>=0.27,<1'
    "$VENV39/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
    run_pytest "$VENV39"
fi
echo "Python suite passed"
