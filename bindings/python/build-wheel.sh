#!/usr/bin/env bash
# Builds the abi3 wheel of roster-sdk into OUT_DIR with maturin from VENV:
#   bash bindings/python/build-wheel.sh VENV OUT_DIR
# Release, with LTO and one codegen unit (the typed parsers inline across crates: ~7% faster
# parsing), in its own target directory so these settings do not rebuild the shared
# target/release of the other crates.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=$1
OUT=$2
rm -rf "$OUT"
CARGO_TARGET_DIR=${ROSTER_PY_TARGET_DIR:-$PWD/target/python-build} \
CARGO_PROFILE_RELEASE_LTO=fat \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    "$VENV/bin/maturin" build --release -q -m bindings/python/Cargo.toml -o "$OUT" \
    --interpreter "$VENV/bin/python"
ls "$OUT"/roster_sdk-*.whl
