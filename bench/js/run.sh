#!/usr/bin/env bash
# One run of the JavaScript benchmark: builds roster-sdk, installs the vendor's Node client
# (pinned in package.json) next to this script, and prints every figure side by side.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/bindings/wasm/build.sh"
ln -sfn ../pkg "$root/bindings/wasm/node_modules/roster-sdk"
(cd "$here" && npm install --no-audit --no-fund --loglevel=error)
node "$here/bench.mjs"
