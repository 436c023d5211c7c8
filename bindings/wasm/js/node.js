// The Node entry: loads the module synchronously (no top-level await) and lends the core the
// process's environment and file reader, through which it resolves settings
// (VOXIMPLANT_CREDENTIALS, VOXIMPLANT_BASE_URL, VOISO_API_KEY, VOISO_BASE_URL, a credentials
// path). A client's `env` and `readFile` options replace them.

import { readFileSync } from "node:fs";
import { initSync } from "./roster.js";
import { setPlatform } from "./platform.js";

initSync({ module: readFileSync(new URL("./roster_bg.wasm", import.meta.url)) });

setPlatform({
  browser: false,
  env: process.env,
  // The bytes as they are; the core shows only the error's code, never its message (which
  // quotes the path).
  readFile: (path) => readFileSync(path),
});

export * from "./client.js";
