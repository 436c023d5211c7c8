#!/usr/bin/env bash
# The Kotlin suite of the uniffi binding, and a check that the Swift bindings still generate.
#
#   bash scripts/test-kotlin.sh            # debug library (fast to build)
#   ROSTER_PROFILE=release bash scripts/test-kotlin.sh
#
# Builds the roster-uniffi library, the pinned uniffi-bindgen and the emulator; generates the
# Kotlin bindings into the Maven project and packs the library as a resource; runs the JUnit
# suite (conformance vectors, every scenario of tests/scenarios, settings, transports, a user
# lifecycle against the emulator over HTTPS); prints Surefire's summary and the scenarios run
# and passed per driver. Maven downloads what the pom needs into ~/.m2 on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE=${ROSTER_PROFILE:-debug}
FLAGS=()
[ "$PROFILE" = release ] && FLAGS=(--release)

if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    echo "test-kotlin: needs a JDK (17+) and Maven" >&2
    exit 1
fi

bash bindings/uniffi/kotlin/prepare.sh "$PROFILE"
[ -f emulator/Cargo.toml ] && cargo build -q "${FLAGS[@]}" -p roster-emulator

OUT=$ROOT/target/$PROFILE
KT=$ROOT/bindings/uniffi/kotlin

# Swift: generation only (no Swift toolchain here); the files are committed for review, and
# bindings/uniffi/swift/build-xcframework.sh regenerates them on macOS.
bash bindings/uniffi/swift/generate.sh "$PROFILE"
echo "swift bindings generated"

if [ -x "$OUT/roster-emulator" ]; then
    export ROSTER_EMULATOR=$OUT/roster-emulator
fi

rm -rf "$KT/target/surefire-reports"
status=0
(cd "$KT" && mvn -q -B test) || status=$?

python3 - "$KT/target/surefire-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    r = ET.parse(path).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0))
    e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print(f"Tests run: {t}, Failures: {f}, Errors: {e}, Skipped: {s}")
print(f"kotlin: {t - f - e - s} passed, {f + e} failed, {s} skipped")

# The shared scenario vectors per driver: every file through the client's calls by name (or
# the by-name pager), and each paged one through the generated typed pager as well.
paths = glob.glob(sys.argv[1] + "/TEST-*ScenarioVectorsTest.xml")
if not paths:
    print("kotlin scenarios: the scenario suite did not run")
    sys.exit(1)
drivers = {}
for case in ET.parse(paths[0]).getroot().iter("testcase"):
    name = case.get("name", "")
    if ".json" not in name:
        continue
    driver = "typed pager" if name.endswith("(typed pager)") else "by name"
    ok = not any(c.tag in ("failure", "error", "skipped") for c in case)
    run, passed = drivers.get(driver, (0, 0))
    drivers[driver] = (run + 1, passed + ok)
print("kotlin scenarios: " + "; ".join(f"{d}: {r} run, {p} passed" for d, (r, p) in sorted(drivers.items())))
PY
exit $status
