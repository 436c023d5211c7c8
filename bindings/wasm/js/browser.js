// The browser entry (also what bundlers pick): fetches and compiles the module once, and
// refuses a service-account key unless the page opts in by name.

import init from "./roster.js";
import { setPlatform } from "./platform.js";
import { configError } from "./errors.js";

await init({ module_or_path: new URL("./roster_bg.wasm", import.meta.url) });

function credentials(options) {
  const given = options.credentials;
  if (given === undefined) {
    throw configError("in a browser, pass tokenProvider (tokens minted by your backend)");
  }
  if (!options.dangerouslyAllowPrivateKeyInBrowser) {
    throw configError(
      "a service-account private key in a browser is readable by anyone using the page; " +
        "use tokenProvider, or set dangerouslyAllowPrivateKeyInBrowser: true",
    );
  }
  if (typeof given !== "object" || given === null) {
    throw configError("in a browser, credentials must be the parsed credentials.json object");
  }
  return JSON.stringify(given);
}

setPlatform({ browser: true, credentials });

export * from "./client.js";
