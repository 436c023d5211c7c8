#!/usr/bin/env bash
# Builds the npm package roster-sdk into bindings/wasm/pkg and prints its size.
#
#   bash bindings/wasm/build.sh
#
# Installs what it needs, idempotently: the wasm32 target, wasm-bindgen-cli (the exact version
# the crate pins, under target/wasm-tools), and the npm tooling (binaryen's wasm-opt,
# typescript, playwright-core) into bindings/wasm/node_modules.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# The same version as `wasm-bindgen = "=..."` in Cargo.toml: the glue must match the crate.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$here/Cargo.toml")"
tools="$root/target/wasm-tools"
wasm_bindgen="$tools/bin/wasm-bindgen"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
if ! "$wasm_bindgen" --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $tools"
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$tools"
fi
if [ ! -x "$here/node_modules/.bin/wasm-opt" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi

# Size first: one codegen unit, LTO, abort on panic (the core never panics). Set through the
# environment so the workspace's native release profile stays as it is; wasm32 artifacts live
# in their own target subdirectory.
CARGO_PROFILE_RELEASE_LTO=true \
CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
CARGO_PROFILE_RELEASE_PANIC=abort \
CARGO_PROFILE_RELEASE_STRIP=true \
  cargo build -q -p roster-wasm --target wasm32-unknown-unknown --release

pkg="$here/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
"$wasm_bindgen" --target web --no-typescript --out-dir "$pkg" --out-name roster \
  "$root/target/wasm32-unknown-unknown/release/roster_wasm.wasm"
"$here/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$pkg/roster_bg.wasm" -o "$pkg/roster_bg.wasm"

cargo run -q -p roster-codegen -- typescript "$root/spec" "$pkg"
cp "$here"/js/{client,errors,platform,node,browser}.js "$pkg/"
cp "$here/README.md" "$pkg/README.md"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)"
cat > "$pkg/package.json" <<JSON
{
  "name": "roster-sdk",
  "version": "$version",
  "description": "Typed clients for the Voximplant and Voiso user-management APIs, on WebAssembly: browsers and Node.",
  "license": "Apache-2.0",
  "type": "module",
  "engines": { "node": ">=20" },
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "node": "./node.js",
      "browser": "./browser.js",
      "default": "./browser.js"
    },
    "./node": { "types": "./index.d.ts", "default": "./node.js" },
    "./browser": { "types": "./index.d.ts", "default": "./browser.js" }
  },
  "files": ["*.js", "*.d.ts", "roster_bg.wasm", "snippets/", "README.md"],
  "sideEffects": ["./node.js", "./browser.js"]
}
JSON

node "$here/scripts/size.mjs" "$pkg"
