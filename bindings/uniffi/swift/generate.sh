#!/usr/bin/env bash
# Generates the Swift bindings from a built libroster_uniffi ($1: debug or release, already
# built by cargo): Sources/Roster/Roster.swift and the C header and module map of the FFI
# module (Headers/), which build-xcframework.sh packs into the XCFramework.
set -euo pipefail
PROFILE=${1:-debug}
SWIFT=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SWIFT/../../.." && pwd)
OUT=$ROOT/target/$PROFILE
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$OUT/uniffi-bindgen" generate --no-format --library "$OUT/libroster_uniffi.so" --language swift \
    --out-dir "$TMP" >/dev/null
mkdir -p "$SWIFT/Sources/Roster" "$SWIFT/Headers"
mv "$TMP/Roster.swift" "$SWIFT/Sources/Roster/Roster.swift"
mv "$TMP/rosterFFI.h" "$SWIFT/Headers/rosterFFI.h"
mv "$TMP/rosterFFI.modulemap" "$SWIFT/Headers/module.modulemap"
