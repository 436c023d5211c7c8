#!/usr/bin/env bash
# Prepares the Maven project: builds libroster_uniffi and the pinned uniffi-bindgen (profile
# debug or release, $1), generates the Kotlin bindings (and roster-codegen's group properties
# and paging flows) into target/generated-sources/uniffi and
# packs the library as target/native/linux-x86-64/libroster_uniffi.so (JNA's resource path).
set -euo pipefail
PROFILE=${1:-debug}
KT=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$KT/../../.." && pwd)
FLAGS=()
[ "$PROFILE" = release ] && FLAGS=(--release)
(cd "$ROOT" && cargo build -q "${FLAGS[@]}" -p roster-uniffi -p roster-uniffi-bindgen)
OUT=$ROOT/target/$PROFILE
rm -rf "$KT/target/generated-sources/uniffi"
"$OUT/uniffi-bindgen" generate --no-format --library "$OUT/libroster_uniffi.so" --language kotlin \
    --out-dir "$KT/target/generated-sources/uniffi" >/dev/null
(cd "$ROOT" && cargo run -q -p roster-codegen -- kotlin) > "$KT/target/generated-sources/uniffi/dev/roster/Groups.kt"
mkdir -p "$KT/target/native/linux-x86-64"
cp "$OUT/libroster_uniffi.so" "$KT/target/native/linux-x86-64/libroster_uniffi.so"
