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
# uniffi runs each call of a foreign async method (the transport's send, the sleeper's sleep)
# as `GlobalScope.launch` on Dispatchers.Default: two thread hops per attempt even when the
# transport answers at once, and on a busy machine each hop waits for a core. Started
# UNDISPATCHED, the call runs in the caller's thread up to its first suspension and resumes on
# Dispatchers.Default after it, as before. Every transport must be main-safe (a suspend function
# that blocks is a bug anyway); the two shipped here switch to Dispatchers.IO or OkHttp's
# threads. uniffi (pinned) has no setting for this, so the generated file is edited here, and
# the step fails if the code it edits ever changes.
KT_FILE=$KT/target/generated-sources/uniffi/dev/roster/roster.kt
LAUNCH='GlobalScope.launch coroutineBlock@'
[ "$(grep -c "$LAUNCH" "$KT_FILE")" = 2 ] || { echo "prepare.sh: uniffi's async callback code changed; revisit the UNDISPATCHED edit" >&2; exit 1; }
sed -i "s/$LAUNCH/GlobalScope.launch(start = kotlinx.coroutines.CoroutineStart.UNDISPATCHED) coroutineBlock@/" "$KT_FILE"
# The same two blocks catch only `Exception`: a callback that throws an `Error` (`TODO()`, an
# AssertionError, OutOfMemoryError) would never report back, and the Rust call would wait
# forever. Catching `Throwable` there ends the call with an unexpected-error status instead.
CATCH='catch(e: kotlin.Exception)'
[ "$(sed -n '/coroutineBlock@ {/,/return@coroutineBlock/p' "$KT_FILE" | grep -c "$CATCH")" = 2 ] \
    || { echo "prepare.sh: uniffi's async callback code changed; revisit the Throwable edit" >&2; exit 1; }
sed -i "/coroutineBlock@ {/,/return@coroutineBlock/ s/$CATCH/catch(e: kotlin.Throwable)/" "$KT_FILE"
(cd "$ROOT" && cargo run -q -p roster-codegen -- kotlin) > "$KT/target/generated-sources/uniffi/dev/roster/Groups.kt"
mkdir -p "$KT/target/native/linux-x86-64"
cp "$OUT/libroster_uniffi.so" "$KT/target/native/linux-x86-64/libroster_uniffi.so"
