#!/usr/bin/env bash
# Runs every test suite of Roster. This is the README's test command and what CI runs.
# It installs what it needs (rustup targets, pip packages in a venv under target/, npm
# packages, Debian's chromium, Maven dependencies) and is safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
for component in clippy rustfmt; do
    rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

step "spec check"
cargo run -q -p roster-codegen -- check

step "Code guards: formatting, and clippy over every target with warnings as errors"
cargo fmt --all --check
cargo clippy -q --workspace --all-targets -- -D warnings

step "Rust: unit, integration, golden and conformance tests"
# --all-targets also runs each benchmark once, so bench code cannot rot.
cargo test --workspace --all-targets
cargo test --workspace --doc

step "The README's main command: roster apply on the embedded emulator, and the SDK quickstart"
PASSWORDS=$(mktemp -d)
cargo run -q -p roster-cli -- --sandbox apply examples/support-team.toml \
  --passwords-out "$PASSWORDS/support-team.passwords.csv" > /dev/null
rm -rf "$PASSWORDS"
cargo run -q -p roster --example quickstart > /dev/null

step "Rust: the core builds for wasm32-unknown-unknown"
cargo build -q -p roster-core --target wasm32-unknown-unknown

step "Python: the pyo3 wheel, vectors, emulator scenarios (scripts/test-python.sh)"
bash scripts/test-python.sh

step "JavaScript/TypeScript: the wasm npm package, vectors, emulator scenarios, Chromium (scripts/test-js.sh)"
bash scripts/test-js.sh

step "Kotlin: the uniffi binding, vectors, emulator scenarios; Swift bindings generated (scripts/test-kotlin.sh)"
bash scripts/test-kotlin.sh

step "Generated files: the committed ones match the generation the suites just ran"
# The Python surface (test-python.sh) and the Swift sources and C header (test-kotlin.sh) are
# regenerated above; committed copies that differ, or new files left uncommitted, fail here.
git rev-parse --is-inside-work-tree >/dev/null || { echo "the generated-files check needs a git checkout" >&2; exit 1; }
GENERATED=(bindings/python/python/roster/_api.py bindings/python/python/roster/_api.pyi bindings/uniffi/swift)
git diff --exit-code --stat -- "${GENERATED[@]}"
untracked=$(git ls-files --others --exclude-standard -- "${GENERATED[@]}")
[ -z "$untracked" ] || { echo "generated but not committed: $untracked" >&2; exit 1; }

step "all suites passed"
