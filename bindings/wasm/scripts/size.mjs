// Prints the gzipped size of what each entry loads: the wasm module and every JS file it
// imports (glue, runtime, generated table, host snippet).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const pkg = process.argv[2];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const shared = files(pkg).filter((p) => /\.(js|wasm)$/.test(p) && !/\/(node|browser)\.js$/.test(p));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const base = shared.reduce((sum, p) => sum + gz(p), 0);
for (const p of shared) console.log(`  ${relative(pkg, p).padEnd(48)} ${kb(gz(p))} gzipped`);
console.log(`browser build (wasm + JS, gzipped): ${kb(base + gz(join(pkg, "browser.js")))} (bar: 120 KB)`);
console.log(`node build with RS256 (wasm + JS, gzipped): ${kb(base + gz(join(pkg, "node.js")))} (bar: 250 KB)`);
