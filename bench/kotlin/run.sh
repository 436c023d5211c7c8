#!/usr/bin/env bash
# The Kotlin binding's parse benchmark under JMH (src/dev/roster/bench: GetUsersBench.kt holds
# the benchmarks, Main.kt runs them in interleaved rounds and prints the medians and the ratio),
# against a release build of libroster_uniffi.
#
#   bash bench/kotlin/run.sh
#   ROSTER_BENCH_ROUNDS=5 bash bench/kotlin/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KT=$ROOT/bindings/uniffi/kotlin
bash "$KT/prepare.sh" release
cd "$KT"
mvn -q -B -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="target/classes:target/test-classes:$(cat target/classpath.txt)"

# JMH's harness for the compiled Kotlin benchmark classes: generated sources, then javac.
JMH=target/jmh
rm -rf "$JMH"
mkdir -p "$JMH/classes"
java -cp "$CP" org.openjdk.jmh.generators.bytecode.JmhBytecodeGenerator \
    target/test-classes "$JMH/src" "$JMH/classes" default >/dev/null
find "$JMH/src" -name '*.java' > "$JMH/sources.txt"
javac -nowarn -cp "$CP" -d "$JMH/classes" @"$JMH/sources.txt"

java -cp "$JMH/classes:$CP" dev.roster.bench.MainKt
