// Prints the gzipped size of each build: its wasm module and every JS file it loads (glue,
// runtime, generated method table, host snippet).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const pkg = process.argv[2];
const BARS = { browser: "browser build", node: "node build with RS256" };
const LIMITS = { browser: 120, node: 250 };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const build of Object.keys(BARS)) {
  const loaded = files(join(pkg, build)).filter((p) => /\.(js|wasm)$/.test(p));
  let total = 0;
  for (const p of loaded) {
    total += gz(p);
    console.log(`  ${relative(pkg, p).padEnd(56)} ${kb(gz(p)).padStart(9)} gzipped (${kb(statSync(p).size)} raw)`);
  }
  console.log(`${BARS[build]} (wasm + JS, gzipped): ${kb(total)} (bar: ${LIMITS[build]} KB)`);
}
