#!/usr/bin/env bash
# Builds RosterFFI.xcframework for iOS devices, the iOS simulator (arm64 + x86_64) and macOS,
# and regenerates the Swift bindings. Needs macOS with Xcode and rustup; not run in CI (no Swift
# toolchain there): CI only checks that the bindings generate (generate.sh).
#
#   bash bindings/uniffi/swift/build-xcframework.sh
set -euo pipefail
SWIFT=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SWIFT/../../.." && pwd)
cd "$ROOT"
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${TARGETS[@]}"
for t in "${TARGETS[@]}"; do
    cargo build --release -p roster-uniffi --target "$t"
done

# The bindings come from the host build's metadata, identical for every target.
cargo build --release -p roster-uniffi -p roster-uniffi-bindgen
cp target/release/libroster_uniffi.dylib target/release/libroster_uniffi.so 2>/dev/null || true
bash "$SWIFT/generate.sh" release

LIB=libroster_uniffi.a
WORK=target/xcframework
rm -rf "$WORK" "$SWIFT/RosterFFI.xcframework"
mkdir -p "$WORK/ios-sim" "$WORK/macos"
lipo -create target/aarch64-apple-ios-sim/release/$LIB target/x86_64-apple-ios/release/$LIB -output "$WORK/ios-sim/$LIB"
lipo -create target/aarch64-apple-darwin/release/$LIB target/x86_64-apple-darwin/release/$LIB -output "$WORK/macos/$LIB"
xcodebuild -create-xcframework \
    -library target/aarch64-apple-ios/release/$LIB -headers "$SWIFT/Headers" \
    -library "$WORK/ios-sim/$LIB" -headers "$SWIFT/Headers" \
    -library "$WORK/macos/$LIB" -headers "$SWIFT/Headers" \
    -output "$SWIFT/RosterFFI.xcframework"
echo "built $SWIFT/RosterFFI.xcframework"
