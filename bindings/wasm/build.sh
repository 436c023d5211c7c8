#!/usr/bin/env bash
# Builds the npm package roster-sdk into bindings/wasm/pkg and prints its size.
#
#   bash bindings/wasm/build.sh
#
# Installs what it needs, idempotently: the wasm32 target, wasm-bindgen-cli (the exact version
# the crate pins, cached under ~/.cache/roster-tools), and the npm tooling (binaryen's wasm-opt,
# typescript, playwright-core) into bindings/wasm/node_modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# The same version as `wasm-bindgen = "=..."` in Cargo.toml: the glue must match the crate.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$here/Cargo.toml")"
# Kept outside the checkout, per version, so a fresh clone on the same machine (CI) reuses it
# instead of compiling the CLI again; the version check below still guards it.
tools="${ROSTER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roster-tools}/wasm-bindgen-$WASM_BINDGEN_VERSION"
wasm_bindgen="$tools/bin/wasm-bindgen"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
if ! "$wasm_bindgen" --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $tools"
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$tools"
fi
# npm's own record of the last install is older than the manifest: (re)install the tooling.
installed="$here/node_modules/.package-lock.json"
if [ ! -f "$installed" ] || [ "$here/package.json" -nt "$installed" ] || [ "$here/package-lock.json" -nt "$installed" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi

pkg="$here/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue"

# build NAME OPT_LEVEL WASM_OPT_FLAG: one build of the module with its JS glue into pkg/NAME.
# The browser build is optimised for size (it is downloaded), the Node build for speed (it is
# loaded from disk and runs server work). Both use one codegen unit, LTO and abort on panic
# (the core never panics). The profile is set through the environment so the workspace's
# native release profile stays as it is; wasm32 artifacts live in their own target directory.
build() {
  local name="$1" opt="$2" wasm_opt="$3" out="$pkg/$1"
  CARGO_PROFILE_RELEASE_LTO=true \
  CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_PROFILE_RELEASE_STRIP=true \
    cargo build -q -p roster-wasm --target wasm32-unknown-unknown --release
  "$wasm_bindgen" --target web --no-typescript --out-dir "$out" --out-name roster \
    "$root/target/wasm32-unknown-unknown/release/roster_wasm.wasm"
  # shellcheck disable=SC2086
  "$here/node_modules/.bin/wasm-opt" "$wasm_opt" $features "$out/roster_bg.wasm" -o "$out/roster_bg.wasm"
  cp "$here"/js/{client,errors,platform}.js "$here/js/$name.js" "$out/"
}
build browser z -Oz
build node 3 -O3

cargo run -q -p roster-codegen -- typescript "$root/spec" "$pkg"
cp "$pkg/methods.js" "$pkg/browser/" && mv "$pkg/methods.js" "$pkg/node/"
cp "$here/README.md" "$pkg/README.md"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)"
cat > "$pkg/package.json" <<JSON
{
  "name": "roster-sdk",
  "version": "$version",
  "description": "Typed clients for the Voximplant and Voiso user-management APIs, on WebAssembly: browsers and Node.",
  "license": "Apache-2.0",
  "type": "module",
  "engines": { "node": ">=20.3" },
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "node": "./node/node.js",
      "browser": "./browser/browser.js",
      "default": "./browser/browser.js"
    },
    "./node": { "types": "./index.d.ts", "default": "./node/node.js" },
    "./browser": { "types": "./index.d.ts", "default": "./browser/browser.js" }
  },
  "files": ["node/", "browser/", "index.d.ts", "README.md"],
  "sideEffects": ["./node/node.js", "./browser/browser.js"]
}
JSON

node "$here/scripts/size.mjs" "$pkg"
