#!/usr/bin/env bash
# The Kotlin binding's parse benchmark (see src/dev/roster/bench/GetUsersBench.kt), against a
# release build of libroster_uniffi.
#
#   bash bench/kotlin/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KT=$ROOT/bindings/uniffi/kotlin
bash "$KT/prepare.sh" release
cd "$KT"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "target/classes:target/test-classes:$(cat target/classpath.txt)" dev.roster.bench.GetUsersBenchKt
