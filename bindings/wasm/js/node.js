// The Node entry: loads the module synchronously (no top-level await) and reads credentials
// from a file, an object or VOXIMPLANT_CREDENTIALS.

import { readFileSync } from "node:fs";
import { initSync } from "./roster.js";
import { setPlatform } from "./platform.js";
import { configError } from "./errors.js";

initSync({ module: readFileSync(new URL("./roster_bg.wasm", import.meta.url)) });

/** The `credentials.json` text. The text is handed to the core and not kept here. */
function credentials(options) {
  let given = options.credentials;
  if (given === undefined) {
    given = process.env.VOXIMPLANT_CREDENTIALS;
    if (!given) {
      throw configError("no credentials: pass credentials or tokenProvider, or set VOXIMPLANT_CREDENTIALS");
    }
  }
  if (typeof given === "object" && given !== null) return JSON.stringify(given);
  if (typeof given !== "string") throw configError("credentials must be a path or an object");
  try {
    return readFileSync(given, "utf8");
  } catch (e) {
    throw configError(`cannot read the credentials file ${given}: ${e.code || e.message}`);
  }
}

setPlatform({ browser: false, credentials });

export * from "./client.js";
